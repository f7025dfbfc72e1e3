package io.monitml.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class CloudEventJsonTest {

    @Test
    void keepsTheExactTextOfEveryKindOfJsonData() throws Exception {
        assertThat(data("{\"type\":\"t\",\"data\":  [1.50, 1e3, {\"a\": null}] }")).isEqualTo("[1.50, 1e3, {\"a\": null}]");
        assertThat(data("{\"data\":12.50,\"type\":\"t\"}")).isEqualTo("12.50");
        assertThat(data("{\"type\":\"t\",\"data\":-7}")).isEqualTo("-7");
        assertThat(data("{\"type\":\"t\",\"data\":true}")).isEqualTo("true");
        assertThat(data("{\"type\":\"t\",\"data\":\"caf\\u00e9\"}")).isEqualTo("\"caf\\u00e9\"");
    }

    @Test
    void takesAStringAsTheTextWhenTheContentTypeIsNotJson() throws Exception {
        final CloudEvent event = CloudEventJson.readEvent(bytes(
            "{\"type\":\"t\",\"datacontenttype\":\"text/plain\",\"data\":\"caf\\u00e9 \\\"1\\\"\"}"));

        assertThat(new String(event.data(), StandardCharsets.UTF_8)).isEqualTo("café \"1\"");
        assertThat(event.contentType()).isEqualTo("text/plain");
        assertThat(event.attributes()).doesNotContainKey("datacontenttype");
    }

    @Test
    void treatsNullAsAbsentAndWritesScalarsAsText() throws Exception {
        final CloudEvent event = CloudEventJson.readEvent(bytes(
            "{\"type\":\"t\",\"requestid\":null,\"sequence\":42,\"sampled\":true,\"data\":null}"));

        assertThat(event.attributes()).containsOnlyKeys("type", "sequence", "sampled");
        assertThat(event.attributes().get("sequence")).isEqualTo("42");
        assertThat(event.attributes().get("sampled")).isEqualTo("true");
        assertThat(event.data()).isEmpty();
        assertThat(event.contentType()).isNull();
    }

    @Test
    void rejectsWhatTheJsonFormatDoesNotAllow() {
        assertRejected("[]", "must be a JSON object");
        assertRejected("{\"type\":\"t\"} {}", "unexpected content");
        assertRejected("{\"type\":\"t\",\"type\":\"u\"}", "Duplicate field 'type'");
        assertRejected("{\"Type\":\"t\"}", "attribute name 'Type'");
        assertRejected("{\"type\":{\"a\":1}}", "attribute 'type' must be a string");
        assertRejected("{\"type\":\"t\",\"data\":1,\"data_base64\":\"AA==\"}", "not both");
        assertRejected("{\"type\":\"t\",\"data_base64\":\"not base64!\"}", "not Base64");
    }

    @Test
    void namesTheIndexOfABadEventInABatch() throws Exception {
        assertThat(CloudEventJson.readBatch(bytes("[]"))).isEmpty();
        final List<CloudEvent> two = CloudEventJson.readBatch(bytes("[{\"type\":\"a\"},{\"type\":\"b\"}]"));
        assertThat(two).extracting(CloudEvent::type).containsExactly("a", "b");
        assertThatThrownBy(() -> CloudEventJson.readBatch(bytes("[{\"type\":\"a\"},{\"Type\":\"b\"}]")))
            .hasMessageStartingWith("event 1: attribute name 'Type'");
        assertThatThrownBy(() -> CloudEventJson.readBatch(bytes("[{\"type\":\"a\"}, 3]")))
            .hasMessage("event 1: not a JSON object");
    }

    @Test
    void decodesPercentEncodedHeaderValuesAndKeepsOthersAsSent() {
        assertThat(BinaryCloudEvent.percentDecode("caf%C3%A9%20ok")).isEqualTo("café ok");
        assertThat(BinaryCloudEvent.percentDecode("100%")).isEqualTo("100%");
        assertThat(BinaryCloudEvent.percentDecode("50%off")).isEqualTo("50%off");
        assertThat(BinaryCloudEvent.percentDecode("%FF")).isEqualTo("%FF");
        assertThat(BinaryCloudEvent.percentDecode("33fb419e-8d6b")).isEqualTo("33fb419e-8d6b");
    }

    // Found by CloudEventJsonFuzzTest: a UTF-16 or UTF-32 body with data has no byte offsets, so
    // copying the data's bytes threw ArrayIndexOutOfBoundsException (a 500 at the endpoint).
    @Test
    void refusesUtf16AndUtf32EventsAs400InsteadOfFailingOnTheirDataOffsets() {
        final String event = "{\"type\":\"t\",\"requestid\":\"r\",\"data\":{\"a\":1}}";
        for (String charset : List.of("UTF-16BE", "UTF-16LE", "UTF-32BE", "UTF-32LE")) {
            assertThatThrownBy(() -> CloudEventJson.readEvent(event.getBytes(java.nio.charset.Charset.forName(charset))))
                .as(charset).isInstanceOf(IngestRejection.class).hasMessageContaining("UTF-8");
            assertThatThrownBy(() -> CloudEventJson.readBatch(("[" + event + "]").getBytes(java.nio.charset.Charset.forName(charset))))
                .as(charset).isInstanceOf(IngestRejection.class).hasMessageContaining("UTF-8");
        }
    }

    @Test
    void stillReadsAUtf8EventWithAByteOrderMark() throws Exception {
        final byte[] event = bytes("\uFEFF{\"type\":\"t\",\"requestid\":\"r\",\"data\":{\"a\":1}}");

        assertThat(new String(CloudEventJson.readEvent(event).data(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
    }

    private static void assertRejected(final String json, final String message) {
        assertThatThrownBy(() -> CloudEventJson.readEvent(bytes(json)))
            .isInstanceOf(IngestRejection.class)
            .hasMessageContaining(message);
    }

    private static String data(final String json) throws IngestRejection {
        return new String(CloudEventJson.readEvent(bytes(json)).data(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
