package io.monitml.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Whatever bytes arrive, the decoder either decodes them or says why not with an
 * {@link InvalidRecordException}: any other exception would stop the stream thread instead of
 * sending one record to the dead-letter topic. The seeds are fixed so that a failure replays.
 */
class JsonBodyDecoderFuzzTest {

    private static final List<String> VALID_FIXTURES = List.of(
        "seldon-docs-request.json", "seldon-docs-response.json", "seldon-tensor-response.json",
        "seldon-jsondata-row.json", "seldon-jsondata-rows.json",
        "tf-instances-lists.json", "tf-instances-dicts.json", "tf-instances-scalars.json",
        "tf-predictions-lists.json", "tf-predictions-scalars.json", "tf-predictions-dicts.json",
        "v2-request-fp32.json", "v2-request-pandas.json", "v2-response-int32.json", "v2-response-sklearn.json");

    /** Fragments that push a mutation past Jackson towards the decoder's own checks. */
    private static final List<String> JSON_FRAGMENTS = List.of(
        "[", "]", "{", "}", ",", ":", "\"", "null", "true", "NaN", "-Infinity", "1e999", "-1", "0",
        "\"x\"", "[[", "{\"a\":", "\"shape\":[", "\"data\":", "\"inputs\":[", "\"instances\":", "\u00e9", "\\u0000");

    private final JsonBodyDecoder decoder = new JsonBodyDecoder();

    @Test
    void shouldDecodeEveryValidFixture() {
        for (final String fixture : VALID_FIXTURES) {
            final DecodedBody body = decoder.decode(JsonBodyDecoderTest.fixture(fixture));

            assertThat(body.rows()).as(fixture).isNotNull();
            assertThat(body.rows().rows()).as(fixture).isPositive();
        }
    }

    @Test
    void shouldThrowOnlyInvalidRecordExceptionOnRandomBytes() {
        final Random random = new Random(20_240_611L);
        for (int i = 0; i < 5_000; i++) {
            final byte[] body = new byte[random.nextInt(257)];
            random.nextBytes(body);
            decodeOrExplain(body);
        }
    }

    @Test
    void shouldThrowOnlyInvalidRecordExceptionOnMutatedFixtures() {
        final Random random = new Random(7_331L);
        final byte[][] fixtures = VALID_FIXTURES.stream().map(JsonBodyDecoderTest::fixture).toArray(byte[][]::new);
        for (int i = 0; i < 20_000; i++) {
            final byte[] valid = fixtures[random.nextInt(fixtures.length)];
            byte[] body = mutate(valid, random);
            // Several mutations at once reach states a single one cannot.
            while (random.nextInt(4) == 0) {
                body = mutate(body, random);
            }
            decodeOrExplain(body);
        }
    }

    private void decodeOrExplain(final byte[] body) {
        try {
            final DecodedBody decoded = decoder.decode(body);
            assertThat(decoded.rows() != null || decoded.error() != null).isTrue();
        } catch (InvalidRecordException e) {
            assertThat(e.reason()).matches("[a-z0-9]+(-[a-z0-9]+)*");
            assertThat(e.getMessage()).isNotBlank();
        } catch (RuntimeException | StackOverflowError e) {
            fail("Decoding " + HexFormat.of().formatHex(body) + " threw " + e, e);
        }
    }

    private static byte[] mutate(final byte[] body, final Random random) {
        if (body.length == 0) {
            return insert(body, 0, fragment(random));
        }
        return switch (random.nextInt(4)) {
            case 0 -> Arrays.copyOf(body, random.nextInt(body.length));
            case 1 -> {
                final byte[] copy = body.clone();
                copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
                yield copy;
            }
            case 2 -> {
                final byte[] garbage = new byte[1 + random.nextInt(8)];
                random.nextBytes(garbage);
                yield insert(body, random.nextInt(body.length + 1), garbage);
            }
            default -> insert(body, random.nextInt(body.length + 1), fragment(random));
        };
    }

    private static byte[] fragment(final Random random) {
        return JSON_FRAGMENTS.get(random.nextInt(JSON_FRAGMENTS.size())).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] insert(final byte[] body, final int at, final byte[] inserted) {
        final byte[] mutated = new byte[body.length + inserted.length];
        System.arraycopy(body, 0, mutated, 0, at);
        System.arraycopy(inserted, 0, mutated, at, inserted.length);
        System.arraycopy(body, at, mutated, at + inserted.length, body.length - at);
        return mutated;
    }
}
