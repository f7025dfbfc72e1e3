package io.monitml.metrics;

import java.util.Locale;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.monitml.http.IngestListener;
import io.monitml.ingest.EventKind;

/** The HTTP port's counters: events accepted and ignored by kind, requests rejected by reason, requests shed. */
final class IngestMetrics implements IngestListener {

    private final MeterRegistry registry;
    private final CounterFamily events;
    private final CounterFamily rejected;

    IngestMetrics(final MeterRegistry registry) {
        this.registry = registry;
        events = new CounterFamily(registry, "monitml.ingest.events",
            "Events (CloudEvents, and labels at /api/v1/labels) received over HTTP: accepted (written to Kafka and acknowledged) or ignored (not an inference)", "kind", "outcome");
        rejected = new CounterFamily(registry, "monitml.ingest.rejected", "HTTP ingest requests answered with an error, by reason", "reason");
        // At zero from the start, so that rate() and the rules see the first.
        for (final EventKind kind : EventKind.values()) {
            events.with(label(kind), "accepted");
            events.with(label(kind), "ignored");
        }
        for (final IngestListener.Reason reason : IngestListener.Reason.values()) {
            rejected.with(reason.tag());
        }
    }

    /** Exports the HTTP port's count of requests shed (answered 503 for a full pool or a wait past the read timeout). */
    void watchShedRequests(final LongSupplier shed) {
        FunctionCounter.builder("monitml.http.requests.shed", shed, LongSupplier::getAsLong)
            .description("HTTP requests answered 503 because every worker was busy and the queue full, or that waited longer than the read timeout")
            .register(registry);
    }

    @Override
    public void accepted(final String type) {
        // Labelled by kind, not by the client's type string, so that clients cannot grow the label set.
        events.with(label(kind(type)), "accepted").increment();
    }

    @Override
    public void ignored(final String type) {
        events.with(label(kind(type)), "ignored").increment();
    }

    @Override
    public void rejected(final IngestListener.Reason reason) {
        rejected.with(reason.tag()).increment();
    }

    private static EventKind kind(final String type) {
        return IngestListener.LABEL_TYPE.equals(type) ? EventKind.LABEL : EventKind.fromCloudEventType(type);
    }

    private static String label(final EventKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }
}
