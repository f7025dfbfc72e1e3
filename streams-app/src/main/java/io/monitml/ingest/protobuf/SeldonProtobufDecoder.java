package io.monitml.ingest.protobuf;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;

import io.monitml.ingest.decoded.InvalidRecordException;
import io.monitml.ingest.decoded.RowBatch;
import io.monitml.proto.seldon.DefaultData;
import io.monitml.proto.seldon.SeldonMessage;
import io.monitml.proto.seldon.Status;
import io.monitml.proto.seldon.Tensor;

/**
 * Decodes a Seldon Core v1 {@code seldon.protos.SeldonMessage} in protobuf (what a request logger
 * records for gRPC traffic) into rows, with the same rules as the JSON decoder: {@code data.tensor}
 * by its shape (a rank-1 tensor is one row), {@code data.ndarray} as rows (a flat list is one row;
 * strings are categorical cells, null is missing, booleans are 1/0), {@code data.names} as column
 * names. {@code jsonData} is read too: an object is one row, a list of objects is rows over the
 * union of their keys. A failure status decodes to its error. Thread-safe and stateless.
 */
public final class SeldonProtobufDecoder {

    // DefaultData's tftensor: not compiled in (it needs TensorFlow's protos), but seen as unknown.
    private static final int TFTENSOR_FIELD = 4;
    private static final int FAILURE_CODE = 400;
    private static final long INITIAL_CELLS_CAP = 1 << 20;

    public SeldonProtobufMessage decode(final byte[] value) {
        if (value == null || value.length == 0) {
            throw new InvalidRecordException("empty-body", "The record has no value");
        }
        final SeldonMessage message;
        try {
            message = SeldonMessage.parseFrom(value);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidRecordException("bad-protobuf", "The value is not a protobuf SeldonMessage: " + e.getMessage(), e);
        }
        final String error = message.hasStatus() ? error(message.getStatus()) : null;
        final String puid = message.getMeta().getPuid().isEmpty() ? null : message.getMeta().getPuid();
        final RowBatch rows = switch (message.getDataOneofCase()) {
            case DATA -> data(message.getData());
            case JSONDATA -> json(message.getJsonData());
            case BINDATA, STRDATA, CUSTOMDATA -> throw new InvalidRecordException("unsupported-body",
                "SeldonMessage " + message.getDataOneofCase() + " is not decoded; this decoder reads data (ndarray, tensor) and jsonData");
            case DATAONEOF_NOT_SET -> null;
        };
        if (rows == null && error == null) {
            throw new InvalidRecordException("no-data", "The SeldonMessage has neither data nor a failure status");
        }
        return new SeldonProtobufMessage(rows, error, puid);
    }

    private static String error(final Status status) {
        final boolean failed = status.getStatus() == Status.StatusFlag.FAILURE || status.getCode() >= FAILURE_CODE;
        if (!failed) {
            return null;
        }
        final String message = !status.getInfo().isEmpty() ? status.getInfo()
            : !status.getReason().isEmpty() ? status.getReason() : "FAILURE";
        return status.getCode() + ": " + message;
    }

    private static RowBatch data(final DefaultData data) {
        final Cells.Grid unnamed = switch (data.getDataOneofCase()) {
            case TENSOR -> tensor(data.getTensor());
            case NDARRAY -> ndarray(data.getNdarray());
            case DATAONEOF_NOT_SET -> {
                if (data.getUnknownFields().hasField(TFTENSOR_FIELD)) {
                    throw new InvalidRecordException("unsupported-body", "\"tftensor\" data is not decoded yet");
                }
                throw new InvalidRecordException("no-data", "\"data\" has neither ndarray nor tensor");
            }
        };
        if (data.getNamesCount() == 0) {
            return unnamed.toBatch(null);
        }
        if (data.getNamesCount() != unnamed.columns()) {
            if (unnamed.rows() == 0) {
                // No rows to name: the names of an empty batch are not worth refusing it for.
                return unnamed.toBatch(null);
            }
            throw new InvalidRecordException("names-mismatch",
                "\"names\" lists " + data.getNamesCount() + " columns but the rows have " + unnamed.columns());
        }
        return unnamed.toBatch(data.getNamesList().toArray(String[]::new));
    }

    private static Cells.Grid tensor(final Tensor tensor) {
        final int count = tensor.getValuesCount();
        final double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            values[i] = Cells.finite(tensor.getValues(i));
        }
        if (tensor.getShapeCount() == 0) {
            return new Cells.Grid(values, null, 1, count);
        }
        for (int i = 0; i < tensor.getShapeCount(); i++) {
            if (tensor.getShape(i) < 0) {
                throw new InvalidRecordException("shape-mismatch", "\"tensor\" shape " + tensor.getShapeList() + " has a negative dimension");
            }
        }
        long rows = tensor.getShape(0);
        long columns = 1;
        for (int i = 1; i < tensor.getShapeCount(); i++) {
            // Saturates rather than overflows: any product past the value count is a mismatch anyway.
            columns = Math.min(columns * tensor.getShape(i), Integer.MAX_VALUE + 1L);
        }
        if (tensor.getShapeCount() == 1) {
            // A rank-1 tensor is one row, as with a flat ndarray (and as the JSON decoder reads it).
            columns = rows;
            rows = 1;
        }
        if (rows * columns != count) {
            throw new InvalidRecordException("shape-mismatch", "\"tensor\" shape " + tensor.getShapeList()
                + " needs " + rows * columns + " values, it has " + count);
        }
        RowBatch.checkDimensions(rows, columns, "\"tensor\" of shape " + tensor.getShapeList());
        return new Cells.Grid(values, null, (int) rows, (int) columns);
    }

    private static Cells.Grid ndarray(final ListValue ndarray) {
        final int size = ndarray.getValuesCount();
        if (size == 0) {
            return new Cells.Grid(new double[0], null, 0, 0);
        }
        if (ndarray.getValues(0).getKindCase() != Value.KindCase.LIST_VALUE) {
            // A flat ndarray is a single row.
            final Cells cells = new Cells(size);
            for (final Value value : ndarray.getValuesList()) {
                if (value.getKindCase() == Value.KindCase.LIST_VALUE) {
                    throw new InvalidRecordException("ragged-ndarray", "\"ndarray\" mixes rows and scalars");
                }
                cells.add(value, "ndarray");
            }
            return cells.toGrid(1, size);
        }
        // Sized from the first row so the common rectangular case fills one exact array; capped, as
        // a long first row followed by many short ones would otherwise ask for a huge array.
        final int columns = flatSize(ndarray.getValues(0));
        final Cells cells = new Cells((int) Math.min((long) size * columns, INITIAL_CELLS_CAP));
        for (int r = 0; r < size; r++) {
            final Value row = ndarray.getValues(r);
            if (row.getKindCase() != Value.KindCase.LIST_VALUE) {
                throw new InvalidRecordException("ragged-ndarray", "\"ndarray\" mixes rows and scalars");
            }
            final int before = cells.size();
            cells.addFlattened(row.getListValue());
            if (cells.size() - before != columns) {
                throw new InvalidRecordException("ragged-ndarray",
                    "\"ndarray\" row " + r + " has " + (cells.size() - before) + " values, row 0 has " + columns);
            }
        }
        return cells.toGrid(size, columns);
    }

    private static int flatSize(final Value value) {
        if (value.getKindCase() != Value.KindCase.LIST_VALUE) {
            return 1;
        }
        int size = 0;
        for (final Value element : value.getListValue().getValuesList()) {
            size += flatSize(element);
        }
        return size;
    }

    private static RowBatch json(final Value json) {
        if (json.getKindCase() == Value.KindCase.STRUCT_VALUE) {
            return records(List.of(json.getStructValue()));
        }
        if (json.getKindCase() != Value.KindCase.LIST_VALUE) {
            throw new InvalidRecordException("unsupported-body",
                "\"jsonData\" holds a " + json.getKindCase() + "; it is decoded when it is an object or a list of objects");
        }
        final ListValue list = json.getListValue();
        if (list.getValuesCount() > 0 && list.getValues(0).getKindCase() != Value.KindCase.STRUCT_VALUE) {
            // A list of lists or of scalars reads as an ndarray.
            return ndarray(list).toBatch(null);
        }
        final Struct[] records = new Struct[list.getValuesCount()];
        for (int i = 0; i < records.length; i++) {
            final Value record = list.getValues(i);
            if (record.getKindCase() != Value.KindCase.STRUCT_VALUE) {
                throw new InvalidRecordException("unsupported-body", "\"jsonData\" mixes objects and other values");
            }
            records[i] = record.getStructValue();
        }
        return records(Arrays.asList(records));
    }

    /** Rows from objects: the columns are the union of their keys in order of first appearance. */
    private static RowBatch records(final List<Struct> records) {
        final Map<String, Integer> columns = new LinkedHashMap<>();
        for (final Struct record : records) {
            for (final String key : record.getFieldsMap().keySet()) {
                columns.putIfAbsent(key, columns.size());
            }
        }
        final int width = columns.size();
        final Cells cells = new Cells(records.size() * width);
        cells.fillMissing(records.size() * width);
        for (int r = 0; r < records.size(); r++) {
            for (final Map.Entry<String, Value> field : records.get(r).getFieldsMap().entrySet()) {
                cells.set(r * width + columns.get(field.getKey()), field.getValue(), "jsonData");
            }
        }
        return cells.toGrid(records.size(), width).toBatch(columns.keySet().toArray(String[]::new));
    }
}
