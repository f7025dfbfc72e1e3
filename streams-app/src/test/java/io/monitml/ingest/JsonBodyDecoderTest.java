package io.monitml.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.assertj.core.api.AbstractStringAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.monitml.ingest.decoded.InvalidRecordException;
import io.monitml.ingest.decoded.RowBatch;

class JsonBodyDecoderTest {

    private final JsonBodyDecoder decoder = new JsonBodyDecoder();

    static byte[] fixture(final String name) {
        try (InputStream in = JsonBodyDecoderTest.class.getResourceAsStream("/fixtures/payloads/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("No fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private DecodedBody decodeFixture(final String name) {
        return decoder.decode(fixture(name));
    }

    private DecodedBody decode(final String json) {
        return decoder.decode(json.getBytes(StandardCharsets.UTF_8));
    }

    private AbstractStringAssert<?> assertReason(final byte[] body) {
        final Throwable thrown = catchThrowable(() -> decoder.decode(body));
        assertThat(thrown).isInstanceOf(InvalidRecordException.class);
        return assertThat(((InvalidRecordException) thrown).reason());
    }

    private AbstractStringAssert<?> assertReason(final String json) {
        return assertReason(json.getBytes(StandardCharsets.UTF_8));
    }

    // SeldonMessage

    @Test
    void shouldDecodeTheRequestOfSeldonsDocumentationAsOnePositionalRow() {
        final DecodedBody body = decodeFixture("seldon-docs-request.json");

        assertThat(body.error()).isNull();
        assertThat(body.modelName()).isNull();
        assertThat(body.rows().rows()).isEqualTo(1);
        assertThat(body.rows().columns()).isEqualTo(3);
        assertThat(body.rows().hasNames()).isFalse();
        assertThat(body.rows().value(0, 2)).isEqualTo(5.0);
    }

    @Test
    void shouldDecodeTheResponseOfSeldonsDocumentationWithItsNames() {
        final RowBatch rows = decodeFixture("seldon-docs-response.json").rows();

        assertThat(rows.rows()).isEqualTo(1);
        assertThat(rows.name(0)).isEqualTo("proba");
        assertThat(rows.value(0, 0)).isEqualTo(0.43782349911420193);
    }

    @Test
    void shouldDecodeATensorAfterAMetaKey() {
        final RowBatch rows = decodeFixture("seldon-tensor-response.json").rows();

        assertThat(rows.rows()).isEqualTo(2);
        assertThat(rows.columns()).isEqualTo(3);
        assertThat(rows.name(2)).isEqualTo("t:2");
        assertThat(rows.value(1, 1)).isEqualTo(0.8);
    }

    @Test
    void shouldTakeTheUnionOfJsonDataKeysAsColumnsWithAbsentKeysMissing() {
        final RowBatch rows = decodeFixture("seldon-jsondata-rows.json").rows();

        assertThat(rows.rows()).isEqualTo(2);
        assertThat(rows.columns()).isEqualTo(4);
        assertThat(new String[] {rows.name(0), rows.name(1), rows.name(2), rows.name(3)})
            .containsExactly("age", "workclass", "hours", "capital_gain");
        assertThat(rows.value(0, 0)).isEqualTo(39.0);
        assertThat(rows.string(1, 1)).isEqualTo("Self-emp");
        assertThat(rows.value(0, 3)).isNaN();
        assertThat(rows.string(0, 3)).isNull();
        assertThat(rows.value(1, 2)).isNaN();
        assertThat(rows.value(1, 3)).isEqualTo(2174.0);
    }

    @Test
    void shouldReadASingleJsonDataDictAsOneRow() {
        final RowBatch rows = decodeFixture("seldon-jsondata-row.json").rows();

        assertThat(rows.rows()).isEqualTo(1);
        assertThat(rows.name(1)).isEqualTo("f2");
        assertThat(rows.value(0, 0)).isEqualTo(1.0);
        assertThat(rows.string(0, 1)).isEqualTo("a");
    }

    @Test
    void shouldRejectStrDataAndBinDataAsNotTabular() {
        assertReason(fixture("seldon-strdata.json")).isEqualTo("unsupported-body");
        assertReason("{\"binData\":\"AAEC\"}").isEqualTo("unsupported-body");
        assertThatThrownBy(() -> decodeFixture("seldon-strdata.json")).hasMessageContaining("strData");
    }

    @Test
    void shouldRejectJsonDataThatIsNotDictRows() {
        assertReason("{\"jsonData\":[1,2]}").isEqualTo("unsupported-body");
        assertReason("{\"jsonData\":\"text\"}").isEqualTo("unsupported-body");
        assertReason("{\"jsonData\":{\"a\":[1,2]}}").isEqualTo("unsupported-body");
    }

    @Test
    void shouldKeepTheErrorOfAFailedSeldonResponseWhateverTheKeyOrder() {
        final DecodedBody body = decode("{\"meta\":{},\"status\":{\"status\":\"FAILURE\",\"info\":\"boom\",\"code\":500}}");

        assertThat(body.rows()).isNull();
        assertThat(body.error()).isEqualTo("500: boom");
    }

    // TensorFlow

    @Test
    void shouldDecodeTensorFlowInstancesThatAreListsIgnoringTheSignatureName() {
        final RowBatch rows = decodeFixture("tf-instances-lists.json").rows();

        assertThat(rows.rows()).isEqualTo(2);
        assertThat(rows.columns()).isEqualTo(3);
        assertThat(rows.hasNames()).isFalse();
        assertThat(rows.value(1, 2)).isEqualTo(6.0);
    }

    @Test
    void shouldNameTensorFlowDictInstancesByTheUnionOfTheirKeys() {
        final RowBatch rows = decodeFixture("tf-instances-dicts.json").rows();

        assertThat(rows.columns()).isEqualTo(3);
        assertThat(rows.name(0)).isEqualTo("sepal_length");
        assertThat(rows.name(1)).isEqualTo("species");
        assertThat(rows.name(2)).isEqualTo("petal_width");
        assertThat(rows.string(0, 1)).isEqualTo("setosa");
        assertThat(rows.string(1, 1)).isNull();
        assertThat(rows.value(0, 2)).isNaN();
        assertThat(rows.value(1, 2)).isEqualTo(1.8);
    }

    @Test
    void shouldReadAListOfScalarInstancesAsOneColumn() {
        final RowBatch rows = decodeFixture("tf-instances-scalars.json").rows();

        assertThat(rows.rows()).isEqualTo(3);
        assertThat(rows.columns()).isEqualTo(1);
        assertThat(rows.value(2, 0)).isEqualTo(3.0);
    }

    @Test
    void shouldDecodeTensorFlowPredictionsOfEveryShape() {
        final RowBatch lists = decodeFixture("tf-predictions-lists.json").rows();
        final RowBatch scalars = decodeFixture("tf-predictions-scalars.json").rows();
        final RowBatch dicts = decodeFixture("tf-predictions-dicts.json").rows();

        assertThat(lists.rows()).isEqualTo(2);
        assertThat(lists.columns()).isEqualTo(2);
        assertThat(lists.value(0, 1)).isEqualTo(0.9);
        assertThat(scalars.rows()).isEqualTo(2);
        assertThat(scalars.columns()).isEqualTo(1);
        assertThat(scalars.value(1, 0)).isEqualTo(13.1);
        assertThat(dicts.name(0)).isEqualTo("price");
        assertThat(dicts.value(1, 0)).isEqualTo(2.5);
    }

    @Test
    void shouldRejectTensorFlowRowsOfMixedKinds() {
        assertReason("{\"instances\":[[1,2],[3]]}").isEqualTo("ragged-rows");
        assertReason("{\"instances\":[[1,2],3]}").isEqualTo("ragged-rows");
        assertReason("{\"instances\":[1,[2]]}").isEqualTo("bad-tf-message");
        assertReason("{\"instances\":[{\"a\":1},[2]]}").isEqualTo("bad-tf-message");
    }

    // Open Inference Protocol (V2)

    @Test
    void shouldSplitAV2BatchIntoRowsWithPositionalColumnsForItsOnlyInput() {
        final DecodedBody body = decodeFixture("v2-request-fp32.json");
        final RowBatch rows = body.rows();

        assertThat(body.id()).isEqualTo("7a6c5b4f-1d2e-4c3b-9a8f-0e1d2c3b4a59");
        assertThat(rows.rows()).isEqualTo(2);
        assertThat(rows.columns()).isEqualTo(13);
        assertThat(rows.hasNames()).isFalse();
        assertThat(rows.value(0, 0)).isEqualTo(0.00632);
        assertThat(rows.value(1, 0)).isEqualTo(0.02731);
        assertThat(rows.value(1, 12)).isEqualTo(9.14);
    }

    @Test
    void shouldJoinPandasInputsColumnByColumnNamedByInput() {
        final RowBatch rows = decodeFixture("v2-request-pandas.json").rows();

        assertThat(rows.rows()).isEqualTo(3);
        assertThat(rows.columns()).isEqualTo(3);
        assertThat(new String[] {rows.name(0), rows.name(1), rows.name(2)}).containsExactly("income", "age", "city");
        assertThat(rows.value(0, 0)).isEqualTo(52000.5);
        assertThat(rows.value(2, 0)).isNaN();
        assertThat(rows.value(1, 1)).isEqualTo(45.0);
        assertThat(rows.string(2, 2)).isEqualTo("Quincy");
        assertThat(rows.value(2, 2)).isNaN();
        assertThat(rows.string(2, 1)).isNull();
    }

    @Test
    void shouldExposeTheModelOfAV2ResponseAndItsOneRow() {
        final DecodedBody body = decodeFixture("v2-response-int32.json");

        assertThat(body.modelName()).isEqualTo("tfsimple1_1");
        assertThat(body.modelVersion()).isEqualTo("1");
        assertThat(body.rows().rows()).isEqualTo(1);
        assertThat(body.rows().columns()).isEqualTo(16);
        assertThat(body.rows().value(0, 15)).isEqualTo(32.0);
    }

    @Test
    void shouldNameASingleColumnV2OutputByItsName() {
        final DecodedBody body = decodeFixture("v2-response-sklearn.json");

        assertThat(body.modelName()).isEqualTo("iris");
        assertThat(body.modelVersion()).isEqualTo("v0.1.0");
        assertThat(body.id()).isEqualTo("d3b15cad-50a2-4eaf-80ce-8b0a428bd298");
        assertThat(body.rows().rows()).isEqualTo(2);
        assertThat(body.rows().name(0)).isEqualTo("predict");
        assertThat(body.rows().value(0, 0)).isEqualTo(2.0);
    }

    @Test
    void shouldSuffixTheColumnsOfAWideInputWhenThereAreSeveralInputs() {
        final RowBatch rows = decode("{\"inputs\":[{\"name\":\"age\",\"shape\":[2],\"datatype\":\"INT32\",\"data\":[30,40]},"
            + "{\"name\":\"img\",\"shape\":[2,2,2],\"datatype\":\"UINT8\",\"data\":[[[1,2],[3,4]],[[5,6],[7,8]]]}]}").rows();

        assertThat(rows.columns()).isEqualTo(5);
        assertThat(new String[] {rows.name(0), rows.name(1), rows.name(4)}).containsExactly("age", "img_0", "img_3");
        assertThat(rows.value(1, 0)).isEqualTo(40.0);
        assertThat(rows.value(1, 1)).isEqualTo(5.0);
        assertThat(rows.value(1, 4)).isEqualTo(8.0);
    }

    @Test
    void shouldReadV2TensorFieldsAndTopLevelKeysInAnyOrder() {
        final DecodedBody body = decode("{\"outputs\":[{\"data\":[true,false],\"datatype\":\"BOOL\",\"shape\":[2],\"name\":\"ok\"}],"
            + "\"model_name\":\"m\"}");

        assertThat(body.modelName()).isEqualTo("m");
        assertThat(body.rows().name(0)).isEqualTo("ok");
        assertThat(body.rows().value(0, 0)).isEqualTo(1.0);
        assertThat(body.rows().value(1, 0)).isEqualTo(0.0);
    }

    @Test
    void shouldRejectV2DataThatDoesNotFillItsShape() {
        assertReason(fixture("invalid-v2-shape.json")).isEqualTo("shape-mismatch");
        assertThatThrownBy(() -> decodeFixture("invalid-v2-shape.json")).hasMessageContaining("[2, 3]").hasMessageContaining("5");
        assertReason("{\"inputs\":[{\"name\":\"a\",\"shape\":[2],\"datatype\":\"FP32\",\"data\":[1,2]},"
            + "{\"name\":\"b\",\"shape\":[3],\"datatype\":\"FP32\",\"data\":[1,2,3]}]}").isEqualTo("shape-mismatch");
        assertReason("{\"inputs\":[{\"name\":\"a\",\"shape\":[4294967296,4294967296,4294967296],\"datatype\":\"FP32\",\"data\":[1]}]}")
            .isEqualTo("shape-mismatch");
    }

    @Test
    void shouldRejectUnknownV2Datatypes() {
        assertReason(fixture("invalid-v2-datatype.json")).isEqualTo("unknown-datatype");
    }

    @Test
    void shouldRejectValuesThatDoNotFitTheV2Datatype() {
        assertReason(fixture("invalid-v2-string-in-fp32.json")).isEqualTo("bad-value");
        assertReason("{\"inputs\":[{\"name\":\"s\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[1]}]}").isEqualTo("bad-value");
    }

    @Test
    void shouldRejectV2TensorsMissingARequiredField() {
        assertReason("{\"inputs\":[{\"name\":\"a\",\"datatype\":\"FP32\",\"data\":[1]}]}").isEqualTo("bad-v2-message");
        assertReason("{\"inputs\":[{\"name\":\"a\",\"shape\":[-1],\"datatype\":\"FP32\",\"data\":[1]}]}").isEqualTo("bad-v2-message");
        assertReason("{\"inputs\":{\"a\":[1,2]}}").isEqualTo("unsupported-body");
        assertReason("{\"model_name\":\"m\",\"inputs\":[]}").isEqualTo("no-data");
    }

    @Test
    void shouldReportTheErrorOfAFailedV2OrTensorFlowResponse() {
        assertThat(decode("{\"error\":\"Model iris not ready\"}").error()).isEqualTo("Model iris not ready");
        assertThat(decode("{\"model_name\":\"iris\",\"error\":\"boom\"}").modelName()).isEqualTo("iris");
    }

    // Format detection

    @Test
    void shouldRejectABodyMixingTwoProtocols() {
        assertReason(fixture("invalid-mixed-protocols.json")).isEqualTo("unknown-format");
        assertReason("{\"model_name\":\"m\",\"predictions\":[1]}").isEqualTo("unknown-format");
        assertReason("{\"instances\":[1],\"meta\":{}}").isEqualTo("unknown-format");
    }

    @Test
    void shouldRejectABodyWithNoKnownKey() {
        assertReason(fixture("invalid-unknown-keys.json")).isEqualTo("unknown-format");
        assertReason("{}").isEqualTo("unknown-format");
    }

    // Values and limits

    @ParameterizedTest
    @ValueSource(strings = {"invalid-nan.json", "invalid-infinity.json", "invalid-overflow.json"})
    void shouldRejectNonFiniteNumbersInAnyForm(final String fixture) {
        assertReason(fixture(fixture)).isEqualTo("non-finite-number");
        assertThatThrownBy(() -> decodeFixture(fixture)).hasMessageContaining("not a finite number");
    }

    @Test
    void shouldRejectNonFiniteNumbersInEveryProtocol() {
        assertReason("{\"data\":{\"tensor\":{\"shape\":[1],\"values\":[-Infinity]}}}").isEqualTo("non-finite-number");
        assertReason("{\"jsonData\":{\"a\":NaN}}").isEqualTo("non-finite-number");
        assertReason("{\"outputs\":[{\"name\":\"a\",\"shape\":[1],\"datatype\":\"FP64\",\"data\":[-1e400]}]}").isEqualTo("non-finite-number");
        assertReason("{\"instances\":[1" + "0".repeat(400) + "]}").isEqualTo("non-finite-number");
    }

    @Test
    void shouldKeepJsonNullAsAMissingValue() {
        final RowBatch rows = decode("{\"instances\":[[null, 1]]}").rows();

        assertThat(rows.value(0, 0)).isNaN();
        assertThat(rows.string(0, 0)).isNull();
    }

    @Test
    void shouldRejectTruncatedJson() {
        assertReason(fixture("invalid-truncated.json")).isEqualTo("bad-json");
        assertReason("{\"predictions\":[1]} {}").isEqualTo("bad-json");
    }

    @Test
    void shouldRejectBytesThatAreNotUtf8() {
        assertReason(fixture("invalid-latin1.json")).isEqualTo("bad-json");
        assertThatThrownBy(() -> decodeFixture("invalid-latin1.json")).hasMessageContaining("UTF-8");
    }

    @Test
    void shouldRejectDeepNestingWithoutExhaustingTheStack() {
        final String deep = "{\"instances\":" + "[".repeat(100_000) + "1" + "]".repeat(100_000) + "}";

        assertReason(deep).isEqualTo("limit-exceeded");
    }

    @Test
    void shouldRejectHugeStrings() {
        final String huge = "{\"instances\":[[\"" + "x".repeat(JsonBodyDecoder.MAX_STRING_LENGTH + 1) + "\"]]}";

        assertReason(huge).isEqualTo("limit-exceeded");
    }

    @Test
    void shouldRejectDictRowsTooSparseToBeATable() {
        final StringBuilder json = new StringBuilder("{\"instances\":[");
        for (int row = 0; row < 2000; row++) {
            json.append(row == 0 ? "" : ",").append("{\"k").append(row).append("\":1}");
        }

        assertReason(json.append("]}").toString()).isEqualTo("limit-exceeded");
    }

    @Test
    void shouldDecodeNestedRowsUpToTheNestingLimit() {
        final int depth = JsonBodyDecoder.MAX_NESTING_DEPTH - 3;
        final String json = "{\"instances\":[" + "[".repeat(depth) + "7" + "]".repeat(depth) + "]}";

        assertThat(decode(json).rows().value(0, 0)).isEqualTo(7.0);
    }

    // Found by JsonBodyDecoderFuzzTest: a zero-size tensor's other dimensions are not bounded by its
    // cells, and were cast to int as they came: 2^31 rows became -2^31, Long.MAX_VALUE rows -1.

    @Test
    void shouldRejectAnEmptyV2TensorWhoseRowsPassAnIntInsteadOfDecodingNegativeRows() {
        assertReason("{\"inputs\":[{\"name\":\"a\",\"shape\":[2147483648,0],\"datatype\":\"FP32\",\"data\":[]}]}")
            .isEqualTo("shape-mismatch");
    }

    @Test
    void shouldRejectAnEmptySeldonTensorWhoseRowsPassAnIntInsteadOfDecodingNegativeRows() {
        assertReason("{\"data\":{\"tensor\":{\"shape\":[9223372036854775807,0],\"values\":[]}}}").isEqualTo("shape-mismatch");
    }

    @Test
    void shouldRejectEmptyV2TensorsDeclaringBillionsOfColumnsInsteadOfAllocatingTheirNames() {
        final String wide = "{\"name\":\"%s\",\"shape\":[0,1073741824],\"datatype\":\"FP32\",\"data\":[]}";

        assertReason("{\"inputs\":[" + wide.formatted("a") + "]}").isEqualTo("shape-mismatch");
        assertReason("{\"inputs\":[" + wide.replace("1073741824", "4194304").formatted("a") + ","
            + wide.replace("1073741824", "4194304").formatted("b") + "]}").isEqualTo("shape-mismatch");
    }

    @Test
    void shouldStillDecodeAnEmptyV2BatchOfModestWidth() {
        final DecodedBody body = decode("{\"inputs\":[{\"name\":\"a\",\"shape\":[0,3],\"datatype\":\"FP32\",\"data\":[]},"
            + "{\"name\":\"b\",\"shape\":[0],\"datatype\":\"FP32\",\"data\":[]}]}");

        assertThat(body.rows().rows()).isZero();
        assertThat(body.rows().columns()).isEqualTo(4);
    }

    @Test
    void shouldRejectAnEmptyTensorDeclaringABillionRowsInsteadOfEmittingThemAsRecords() {
        // No cells bound the rows of a tensor without columns; each row would become an inference record.
        assertReason("{\"inputs\":[{\"name\":\"a\",\"shape\":[1073741824,0],\"datatype\":\"FP32\",\"data\":[]}]}")
            .isEqualTo("shape-mismatch");
        assertReason("{\"data\":{\"tensor\":{\"shape\":[1073741824,0],\"values\":[]}}}").isEqualTo("shape-mismatch");
    }

    // Found by JsonBodyDecoderFuzzTest (seeds 3 and 4, 30,000 inputs): an empty tensor whose trailing
    // dimensions overflow a long, shape [0, 4, 2^63-1, 2^63-1], matched its zero values, and its
    // columns, the overflowed product -1, made a batch of 0 rows by -1 columns.
    @Test
    void shouldRejectAnEmptyTensorWhoseColumnsOverflowInsteadOfDecodingNegativeColumns() {
        assertReason("{\"inputs\":[{\"name\":\"f0\",\"shape\":[0,4,9223372036854775807,9223372036854775807],"
            + "\"datatype\":\"FP32\",\"data\":[]}]}").isEqualTo("shape-mismatch");
        assertReason("{\"data\":{\"tensor\":{\"shape\":[0,4,9223372036854775807,9223372036854775807],\"values\":[]}}}")
            .isEqualTo("shape-mismatch");
    }
}
