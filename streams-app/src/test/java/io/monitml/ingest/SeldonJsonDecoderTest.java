package io.monitml.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.monitml.ingest.decoded.InvalidRecordException;
import io.monitml.ingest.decoded.RowBatch;

class SeldonJsonDecoderTest {

    private final SeldonJsonDecoder decoder = new SeldonJsonDecoder();

    private DecodedBody decode(final String json) {
        return decoder.decode(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldDecodeTheLoggedResponseOfSeldonsDocumentation() {
        final DecodedBody body = decode("{\"data\":{\"names\":[\"proba\"],\"ndarray\":[[0.43782349911420193]]},\"meta\":{}}");

        assertThat(body.error()).isNull();
        assertThat(body.rows().rows()).isEqualTo(1);
        assertThat(body.rows().columns()).isEqualTo(1);
        assertThat(body.rows().name(0)).isEqualTo("proba");
        assertThat(body.rows().value(0, 0)).isEqualTo(0.43782349911420193);
    }

    @Test
    void shouldDecodeABatchOfRowsWithPositionalNamesWhenTheBodyHasNone() {
        final RowBatch rows = decode("{\"data\": {\"ndarray\":[[1.0, 2.0, 5.0], [3, 4, 6]]}}").rows();

        assertThat(rows.rows()).isEqualTo(2);
        assertThat(rows.columns()).isEqualTo(3);
        assertThat(rows.hasNames()).isFalse();
        assertThat(rows.name(2)).isEqualTo("f2");
        assertThat(rows.value(1, 0)).isEqualTo(3.0);
        assertThat(rows.value(1, 2)).isEqualTo(6.0);
    }

    @Test
    void shouldReadAFlatNdarrayAsOneRow() {
        final RowBatch rows = decode("{\"data\":{\"ndarray\":[1, 2, 3]}}").rows();

        assertThat(rows.rows()).isEqualTo(1);
        assertThat(rows.columns()).isEqualTo(3);
    }

    @Test
    void shouldDecodeATensorByItsShape() {
        final RowBatch rows = decode("{\"meta\":{\"puid\":\"x\"},\"data\":{\"names\":[\"a\",\"b\"],"
            + "\"tensor\":{\"shape\":[3,2],\"values\":[1,2,3,4,5,6]}}}").rows();

        assertThat(rows.rows()).isEqualTo(3);
        assertThat(rows.columns()).isEqualTo(2);
        assertThat(rows.name(1)).isEqualTo("b");
        assertThat(rows.value(2, 1)).isEqualTo(6.0);
    }

    @Test
    void shouldKeepStringsAndMissingValuesApart() {
        final RowBatch rows = decode("{\"data\":{\"names\":[\"city\",\"rooms\"],\"ndarray\":[[\"Boston\", null],[\"Salem\", 3]]}}").rows();

        assertThat(rows.string(0, 0)).isEqualTo("Boston");
        assertThat(rows.value(0, 0)).isNaN();
        assertThat(rows.value(0, 1)).isNaN();
        assertThat(rows.string(0, 1)).isNull();
        assertThat(rows.value(1, 1)).isEqualTo(3.0);
    }

    @Test
    void shouldReportTheErrorOfAFailedResponse() {
        final DecodedBody body = decode("{\"status\":{\"code\":500,\"info\":\"model crashed\",\"status\":\"FAILURE\"}}");

        assertThat(body.rows()).isNull();
        assertThat(body.error()).isEqualTo("500: model crashed");
    }

    @Test
    void shouldRejectMalformedBodiesWithAReason() {
        assertThatThrownBy(() -> decode("{\"data\": {\"ndarray\": [[1, 2], [3]]}}"))
            .isInstanceOf(InvalidRecordException.class)
            .hasMessageContaining("row 1 has 1 values")
            .extracting(e -> ((InvalidRecordException) e).reason()).isEqualTo("ragged-ndarray");
        assertThatThrownBy(() -> decode("{\"data\": {\"ndarray\": [[1, 2]"))
            .extracting(e -> ((InvalidRecordException) e).reason()).isEqualTo("bad-json");
        assertThatThrownBy(() -> decode("[1, 2]"))
            .extracting(e -> ((InvalidRecordException) e).reason()).isEqualTo("bad-json");
        assertThatThrownBy(() -> decode("{\"data\":{\"tensor\":{\"shape\":[2,2],\"values\":[1,2,3]}}}"))
            .extracting(e -> ((InvalidRecordException) e).reason()).isEqualTo("shape-mismatch");
        assertThatThrownBy(() -> decode("{\"data\":{\"names\":[\"a\"],\"ndarray\":[[1,2]]}}"))
            .extracting(e -> ((InvalidRecordException) e).reason()).isEqualTo("names-mismatch");
        assertThatThrownBy(() -> decode("{\"meta\":{}}"))
            .extracting(e -> ((InvalidRecordException) e).reason()).isEqualTo("no-data");
        assertThatThrownBy(() -> decoder.decode(new byte[0]))
            .extracting(e -> ((InvalidRecordException) e).reason()).isEqualTo("empty-body");
    }
}
