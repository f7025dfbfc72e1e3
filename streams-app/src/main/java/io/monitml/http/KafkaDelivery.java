package io.monitml.http;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a request's records to the producer and answers the request exactly once: when the
 * producer has reported on every record (202 when all were acknowledged, 503 or 413 with what
 * became of each otherwise), or when the send timeout expires first (503 with how many were
 * acknowledged: the others may still be written). A request's bytes stay counted in flight until
 * the producer has reported on every record (acknowledged, failed or expired after
 * {@code delivery.timeout.ms}), since until then they take room in its buffer. The acknowledgements
 * and failures arrive on the producer's I/O thread: what runs there is counting and handing the
 * small answer to Jetty, which writes it without blocking.
 */
final class KafkaDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(CloudEventIngest.class);
    /** Kafka failures repeat for every post while a broker is down; log only at these counts. */
    private static final long LOG_EVERY_NTH_FAILURE = 1000;

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final Duration sendTimeout;
    private final IngestAnswers answers;
    private final InFlightBudget budget;
    private final AtomicLong failures = new AtomicLong();

    KafkaDelivery(final Producer<byte[], byte[]> producer, final String topic, final Duration sendTimeout, final IngestAnswers answers,
                  final InFlightBudget budget) {
        this.producer = producer;
        this.topic = topic;
        this.sendTimeout = sendTimeout;
        this.answers = answers;
        this.budget = budget;
    }

    Producer<byte[], byte[]> producer() {
        return producer;
    }

    /** Writes the batch's records; {@code bytes} of the in-flight budget are released when the producer has reported on all. */
    void write(final Request request, final Response response, final Callback callback, final IngestBatch batch, final long bytes) {
        new Write(request, response, callback, batch, bytes).start();
    }

    /** One request's records on their way to Kafka. */
    private final class Write {

        private final Request request;
        private final Response response;
        private final Callback callback;
        private final IngestBatch batch;
        private final long bytes;
        private final AtomicInteger outstanding;
        private final AtomicInteger written = new AtomicInteger();
        private final AtomicInteger failed = new AtomicInteger();
        private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        private final AtomicBoolean answered = new AtomicBoolean();
        private final Scheduler.Task timeout;

        Write(final Request request, final Response response, final Callback callback, final IngestBatch batch, final long bytes) {
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.batch = batch;
            this.bytes = bytes;
            this.outstanding = new AtomicInteger(batch.records().size());
            this.timeout = request.getComponents().getScheduler().schedule(this::timedOut, sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        void start() {
            final List<ProducerRecord<byte[], byte[]>> records = batch.records();
            int sent = 0;
            try {
                for (; sent < records.size(); sent++) {
                    final String type = batch.writtenTypes().get(sent);
                    // Blocks only while the producer has no metadata for the topic or no room in its buffer (max.block.ms).
                    producer.send(records.get(sent), (metadata, exception) -> completed(type, exception));
                }
            } catch (RuntimeException e) {
                // send() itself throws when the producer is closed or cannot get metadata in max.block.ms:
                // this record and those after it are never handed over.
                final int notSent = records.size() - sent;
                firstFailure.compareAndSet(null, e);
                failed.addAndGet(notSent);
                if (outstanding.addAndGet(-notSent) == 0) {
                    finish();
                }
            }
        }

        private void completed(final String type, final Exception exception) {
            if (exception == null) {
                written.incrementAndGet();
                answers.written(type);
            } else {
                firstFailure.compareAndSet(null, exception);
                failed.incrementAndGet();
            }
            if (outstanding.decrementAndGet() == 0) {
                finish();
            }
        }

        /** Every record reported on. */
        private void finish() {
            budget.release(bytes);
            if (answered.compareAndSet(false, true)) {
                timeout.cancel();
                try {
                    if (failed.get() == 0) {
                        answers.accept(response, callback, batch);
                    } else {
                        answers.reject(request, response, callback, failure(firstFailure.get(),
                            new IngestRejection.Delivery(batch.records().size(), written.get(), failed.get(), 0)));
                    }
                } catch (RuntimeException e) {
                    answers.internalError(request, response, callback, e);
                }
            }
        }

        private void timedOut() {
            if (answered.compareAndSet(false, true)) {
                final int events = batch.records().size();
                final int acknowledged = written.get();
                final int refused = failed.get();
                answers.reject(request, response, callback, failure(new TimeoutException("no acknowledgement within the send timeout"),
                    new IngestRejection.Delivery(events, acknowledged, refused, Math.max(0, events - acknowledged - refused))));
            }
        }
    }

    /**
     * The answer when some of a request's events were not written: 413 when Kafka refused one as too
     * large (a retry cannot help it), 503 otherwise, with what became of the others. A retry of the
     * whole request is harmless: the pipeline counts a resent event once.
     */
    private IngestRejection failure(final Throwable cause, final IngestRejection.Delivery delivery) {
        if (cause instanceof RecordTooLargeException) {
            LOG.debug("Kafka refused an ingest record as too large", cause);
            return new IngestRejection(413, IngestListener.Reason.TOO_LARGE,
                "an event is larger than Kafka accepts (the producer's max.request.size or the topic's max.message.bytes); "
                    + outcome(delivery), delivery);
        }
        final long count = failures.incrementAndGet();
        if (count == 1 || count % LOG_EVERY_NTH_FAILURE == 0) {
            LOG.warn("{} ingest request(s) could not be written to {} so far", count, topic, cause);
        }
        // The cause goes to the log only: Kafka's messages name brokers and topics.
        return new IngestRejection(503, IngestListener.Reason.KAFKA_UNAVAILABLE, outcome(delivery)
            + "; retry the request: MonitML counts an event sent again (same unit, side and request id) once", delivery);
    }

    /** What became of the events, in words. */
    private String outcome(final IngestRejection.Delivery delivery) {
        final String waited = " within " + sendTimeout.toMillis() + " ms";
        if (delivery.events() == 1) {
            return delivery.unacknowledged() == 1
                ? "Kafka did not acknowledge the event" + waited + "; it may still be written"
                : "the event could not be written to Kafka";
        }
        final StringBuilder text = new StringBuilder().append(delivery.written()).append(" of ").append(delivery.events())
            .append(" events were written to Kafka");
        if (delivery.failed() > 0) {
            text.append(", ").append(delivery.failed()).append(" could not be");
        }
        if (delivery.unacknowledged() > 0) {
            text.append(", ").append(delivery.unacknowledged()).append(" were not acknowledged").append(waited)
                .append(" and may still be written");
        }
        return text.toString();
    }
}
