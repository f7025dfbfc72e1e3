package io.monitml.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import io.monitml.fuzz.Fuzz;
import io.monitml.fuzz.JsonBodies;
import io.monitml.ingest.decoded.InvalidRecordException;

/**
 * Whatever bytes arrive, the JSON decoder either decodes them into well-formed rows or says why not
 * with an {@link InvalidRecordException}: any other exception would stop the stream thread instead
 * of sending one record to the dead-letter topic. At least 10,000 inputs per protocol, seeded (see
 * {@link Fuzz}): random bytes, generated bodies and mutations of the real fixtures.
 */
class JsonBodyDecoderFuzzTest {

    private static final int INPUTS = Fuzz.inputs(10_000);

    private static final List<String> SELDON = List.of(
        "seldon-docs-request.json", "seldon-docs-response.json", "seldon-tensor-response.json",
        "seldon-jsondata-row.json", "seldon-jsondata-rows.json", "seldon-strdata.json");
    private static final List<String> TENSORFLOW = List.of(
        "tf-instances-lists.json", "tf-instances-dicts.json", "tf-instances-scalars.json",
        "tf-predictions-lists.json", "tf-predictions-scalars.json", "tf-predictions-dicts.json");
    private static final List<String> OPEN_INFERENCE = List.of(
        "v2-request-fp32.json", "v2-request-pandas.json", "v2-response-int32.json", "v2-response-sklearn.json",
        "invalid-v2-datatype.json", "invalid-v2-shape.json", "invalid-v2-string-in-fp32.json");

    private final SeldonJsonDecoder decoder = new SeldonJsonDecoder();

    @Test
    void shouldDecodeEveryValidFixture() {
        for (final String fixture : concat(SELDON.subList(0, 5), TENSORFLOW, OPEN_INFERENCE.subList(0, 4))) {
            final DecodedBody body = decoder.decode(JsonBodyDecoderTest.fixture(fixture));

            assertThat(body.rows()).as(fixture).isNotNull();
            assertThat(body.rows().rows()).as(fixture).isPositive();
        }
    }

    @Test
    void seldonMessageJsonIsDecodedOrRejected() {
        fuzz("seldon-v1-json", JsonBodies::seldon, SELDON);
    }

    @Test
    void tensorflowJsonIsDecodedOrRejected() {
        fuzz("tensorflow-json", JsonBodies::tensorflow, TENSORFLOW);
    }

    @Test
    void openInferenceJsonIsDecodedOrRejected() {
        fuzz("open-inference-json", JsonBodies::openInference, OPEN_INFERENCE);
    }

    private void fuzz(final String format, final Function<Random, byte[]> generate, final List<String> fixtures) {
        final List<byte[]> corpus = fixtures.stream().map(JsonBodyDecoderTest::fixture).toList();
        final Fuzz.Outcome outcome = Fuzz.runRecords(format, INPUTS,
            Fuzz.blend(generate, corpus, Fuzz::mutateJson), decoder::decode, JsonBodyDecoderFuzzTest::check);

        assertThat(outcome.decoded()).as("%s: some inputs decode", outcome).isPositive();
        assertThat(outcome.rejected()).as("%s: many reasons are reached", outcome).hasSizeGreaterThan(8);
    }

    private static void check(final DecodedBody decoded) {
        if (decoded.rows() == null && decoded.error() == null) {
            throw new AssertionError("decoded neither rows nor an error");
        }
        Fuzz.checkRows(decoded.rows());
    }

    @SafeVarargs
    private static List<String> concat(final List<String>... lists) {
        return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
    }
}
