package io.monitml.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import io.monitml.fuzz.CloudEvents;
import io.monitml.fuzz.Fuzz;
import io.monitml.ingest.CloudEventAttributes;

/**
 * The CloudEvents JSON parser (structured events and batches) against at least 10,000 seeded inputs
 * per mode (see {@link Fuzz}): random bytes, generated events ({@link CloudEvents}) and JSON-aware
 * mutations of real and generated ones. Each input is read into events with valid attribute names
 * and data, or refused with a 400 {@link IngestRejection} that says why.
 */
class CloudEventJsonFuzzTest {

    private static final int INPUTS = Fuzz.inputs(10_000);
    /** Events as Seldon's request logger and Knative post them, with real payloads as data. */
    private static final String REAL_EVENT = "{\"specversion\":\"1.0\",\"id\":\"a9f6\",\"type\":\"io.seldon.serving.inference.%s\","
        + "\"source\":\"http://model-logs-logging.seldon:8000/\",\"time\":\"2020-11-06T09:35:09.171644169Z\","
        + "\"requestid\":\"33fb419e\",\"modelid\":\"classifier\",\"inferenceservicename\":\"model-logs\",\"namespace\":\"seldon\","
        + "\"endpoint\":\"logging\",\"datacontenttype\":\"application/json\",\"data\":%s}";

    @Test
    void structuredEventsAreReadOrRefused() {
        fuzz("cloudevent-structured-json", CloudEvents::structured, CloudEventJson::readEvent, false);
    }

    @Test
    void batchesAreReadOrRefused() {
        fuzz("cloudevent-batch-json", CloudEvents::batch, CloudEventJson::readBatch, true);
    }

    private static void fuzz(final String format, final Function<Random, byte[]> generate, final Fuzz.Decoder<?> read,
                             final boolean batch) {
        final List<byte[]> corpus = new ArrayList<>();
        final List<String> events = new ArrayList<>();
        for (String payload : List.of("seldon-docs-request.json", "seldon-docs-response.json", "v2-request-fp32.json",
            "tf-instances-dicts.json")) {
            final String data = new String(Fuzz.resource("/fixtures/payloads/" + payload), java.nio.charset.StandardCharsets.UTF_8);
            events.add(REAL_EVENT.formatted(payload.contains("response") ? "response" : "request", data));
        }
        if (batch) {
            corpus.add(Fuzz.utf8("[" + String.join(",", events) + "]"));
            corpus.add(Fuzz.utf8("[" + events.get(0) + "]"));
        } else {
            events.forEach(event -> corpus.add(Fuzz.utf8(event)));
        }
        final Random corpusRandom = new Random(Fuzz.seed());
        for (int i = 0; i < 16; i++) {
            corpus.add(generate.apply(corpusRandom));
        }

        final Fuzz.Outcome outcome = Fuzz.run(format, INPUTS, Fuzz.blend(generate, corpus, Fuzz::mutateJson), read,
            CloudEventJsonFuzzTest::check,
            thrown -> thrown instanceof IngestRejection rejection && rejection.status() == 400,
            thrown -> ((IngestRejection) thrown).reason().name().toLowerCase(java.util.Locale.ROOT) + ":" + kind(thrown.getMessage()));

        assertThat(outcome.decoded()).as("%s: some inputs are read", outcome).isPositive();
        assertThat(outcome.rejectedCount()).as("%s: some are refused", outcome).isPositive();
    }

    /** The first words of a refusal's message, after any event index: its kind, for the counts. */
    private static String kind(final String message) {
        final String text = message.replaceFirst("^event \\d+: ", "");
        final String[] words = text.split("[ ,:'(]+", 4);
        return words[0].equals("attribute") ? words[0] : String.join(" ", java.util.Arrays.copyOf(words, Math.min(2, words.length)));
    }

    private static void check(final Object read) {
        final List<?> events = read instanceof List<?> list ? list : List.of(read);
        for (Object object : events) {
            final CloudEvent event = (CloudEvent) object;
            if (event.data() == null) {
                throw new AssertionError("an event without data bytes");
            }
            event.attributes().forEach((name, value) -> {
                if (!CloudEvent.isValidName(name) || value == null) {
                    throw new AssertionError("attribute '" + name + "' = " + value);
                }
            });
            if (event.attributes().containsKey(CloudEventAttributes.DATA_CONTENT_TYPE)) {
                throw new AssertionError("datacontenttype left among the attributes");
            }
        }
    }
}
