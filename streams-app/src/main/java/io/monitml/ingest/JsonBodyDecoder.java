package io.monitml.ingest;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;

import io.monitml.ingest.decoded.InvalidRecordException;
import io.monitml.ingest.decoded.RowBatch;

/**
 * Decodes a JSON request or response body of any protocol Seldon producers send into a
 * {@link RowBatch}, in one pass over Jackson's token stream: no trees, numbers never boxed.
 * Thread-safe.
 *
 * <h2>Telling the protocol</h2>
 * Each top-level key belongs to one protocol, in whatever order the keys come:
 * <ul>
 *   <li>SeldonMessage: {@code data}, {@code jsonData}, {@code strData}, {@code binData}, {@code status}, {@code meta};</li>
 *   <li>TensorFlow: {@code instances}, {@code predictions}, {@code signature_name};</li>
 *   <li>Open Inference (V2): {@code inputs}, {@code outputs}, {@code model_name}, {@code model_version}, {@code id}, {@code parameters}.</li>
 * </ul>
 * Other keys are skipped, except {@code error}, which any protocol may use to report a failure
 * (TensorFlow Serving and V2 servers answer {@code {"error": "..."}}). Keys of two protocols, or
 * no key of any, make the record invalid ({@code unknown-format}).
 *
 * <h2>Rows and names</h2>
 * <ul>
 *   <li>SeldonMessage {@code data}: {@code ndarray} rows (a flat ndarray is one row; nested rows
 *       are flattened) or a {@code tensor} by its shape, named by {@code data.names} or positionally.
 *       {@code jsonData}: a dict row or a list of dict rows. {@code strData} and {@code binData}
 *       are not tables ({@code unsupported-body}). A FAILURE {@code status} decodes to its error.</li>
 *   <li>TensorFlow {@code instances} / {@code predictions}: rows that are lists (positional names),
 *       dict rows, or scalars (one value per row, one positional column).</li>
 *   <li>Dict rows: the columns are the union of the keys in first-seen order; a key a row lacks is
 *       missing (NaN) in that row.</li>
 *   <li>V2 tensors: {@code data} is row-major (nested lists are flattened) and must hold exactly
 *       the product of {@code shape} values. Rows are {@code shape[0]}, columns the product of the
 *       other dimensions ({@code [n]} is n rows of one column). All tensors must have the same
 *       rows; their columns are joined in order. A tensor of one column is named by its name; a
 *       tensor of k &gt; 1 columns gives {@code name_0 .. name_{k-1}} — except when it is the
 *       body's only tensor: then the columns are positional ({@code f0 ..}) so that the feature
 *       names configured for the model apply. Pandas bodies ({@code content_type: pd}, one tensor
 *       per column) follow the same rules and so come out named by column. Numeric datatypes and
 *       BOOL give numbers, BYTES gives categorical strings.</li>
 * </ul>
 *
 * <h2>Values</h2>
 * Booleans are 1/0, null is missing. NaN, Infinity and numbers beyond a double's range are
 * rejected ({@code non-finite-number}) rather than guessed at. Bytes that are not UTF-8 (or UTF-16/32
 * as Jackson detects them) are {@code bad-json}. Nesting deeper than 64 levels, strings over 1 MiB and
 * over-long numbers are {@code limit-exceeded}, so that no body can exhaust the stack or the heap.
 *
 * <h2>Reasons</h2>
 * {@code empty-body}, {@code bad-json}, {@code limit-exceeded}, {@code unknown-format},
 * {@code no-data}, {@code unsupported-body}, {@code non-finite-number}, {@code shape-mismatch},
 * {@code names-mismatch}, {@code ragged-ndarray}, {@code ragged-rows}, {@code unknown-datatype},
 * {@code bad-value}, {@code bad-seldon-message}, {@code bad-tf-message}, {@code bad-v2-message}.
 */
public final class JsonBodyDecoder {

    static final int MAX_NESTING_DEPTH = 64;
    static final int MAX_STRING_LENGTH = 1 << 20;

    private final JsonFactory factory = JsonFactory.builder()
        // Accepted by the parser only so that NaN and Infinity get their own reason, not bad-json.
        .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(MAX_NESTING_DEPTH)
            .maxStringLength(MAX_STRING_LENGTH)
            .build())
        .build();

    /**
     * Decodes one body.
     *
     * @throws InvalidRecordException when the body cannot be decoded, with a reason code saying why
     */
    public DecodedBody decode(final byte[] body) {
        if (body == null || body.length == 0) {
            throw new InvalidRecordException("empty-body", "The event has no body");
        }
        try (JsonParser parser = factory.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidRecordException("bad-json", "The body is not a JSON object");
            }
            final DecodedBody decoded = readBody(parser);
            if (parser.nextToken() != null) {
                throw new InvalidRecordException("bad-json", "The body has content after its JSON object");
            }
            return decoded;
        } catch (StreamConstraintsException e) {
            throw new InvalidRecordException("limit-exceeded", "The body exceeds a parsing limit: " + e.getOriginalMessage(), e);
        } catch (JsonParseException e) {
            throw new InvalidRecordException("bad-json", "The body is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InvalidRecordException("bad-json", "The body cannot be read: " + e.getMessage(), e);
        }
    }

    private static DecodedBody readBody(final JsonParser parser) throws IOException {
        BodyProtocol protocol = null;
        RowBatch rows = null;
        String error = null;
        String modelName = null;
        String modelVersion = null;
        String id = null;
        OpenInferenceTensors tensors = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            final String key = parser.currentName();
            parser.nextToken();
            final BodyProtocol keyProtocol = BodyProtocol.ofKey(key);
            if (keyProtocol == null) {
                if (key.equals("error")) {
                    error = JsonCells.readText(parser);
                } else {
                    parser.skipChildren();
                }
                continue;
            }
            if (protocol != null && protocol != keyProtocol) {
                throw new InvalidRecordException("unknown-format", "The body mixes " + protocol.label()
                    + " and " + keyProtocol.label() + " keys (\"" + key + "\")");
            }
            protocol = keyProtocol;
            switch (key) {
                case "data" -> rows = SeldonFields.readData(parser);
                case "jsonData" -> rows = SeldonFields.readJsonData(parser);
                case "strData", "binData" -> throw new InvalidRecordException("unsupported-body",
                    "A SeldonMessage with \"" + key + "\" carries no table to monitor; send data or jsonData");
                case "status" -> error = SeldonFields.readStatus(parser);
                case "instances", "predictions" -> rows = RowLists.readRowList(parser, key);
                case "inputs", "outputs" -> {
                    tensors = tensors == null ? new OpenInferenceTensors() : tensors;
                    tensors.read(parser, key);
                }
                case "model_name" -> modelName = JsonCells.readText(parser);
                case "model_version" -> modelVersion = JsonCells.readText(parser);
                case "id" -> id = JsonCells.readText(parser);
                default -> parser.skipChildren();
            }
        }
        if (tensors != null && !tensors.isEmpty()) {
            rows = tensors.toBatch();
        }
        if (rows == null && error == null) {
            if (protocol == null) {
                throw new InvalidRecordException("unknown-format",
                    "The body has no key of SeldonMessage, TensorFlow or Open Inference (V2) JSON");
            }
            throw new InvalidRecordException("no-data", "The " + protocol.label() + " body has no rows and no error");
        }
        return new DecodedBody(rows, error, modelName, modelVersion, id, protocol == null ? "json" : protocol.format());
    }
}
