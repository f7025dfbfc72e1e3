package io.monitml.ingest.protobuf;

import java.util.Arrays;
import java.util.List;

import io.monitml.ingest.decoded.InvalidRecordException;
import io.monitml.ingest.decoded.RowBatch;

/**
 * Lays the tensors of one V2 message side by side as rows: the first dimension of every tensor is
 * the row (the batch), the product of the others its columns (one column for a rank-1 tensor).
 *
 * <p>Column names follow the rules for V2 JSON bodies: one column per tensor is named after the tensor (the
 * pandas style MLServer uses, one input per feature); a tensor of k > 1 columns among several gives
 * {@code <name>_0 .. <name>_<k-1>}; a single tensor of k > 1 columns is a plain feature matrix and
 * keeps positional names.
 */
final class TensorRows {

    // The largest array a JVM reliably allocates.
    private static final long MAX_CELLS = Integer.MAX_VALUE - 8;
    // Far above any tabular model or image (224 x 224 x 3 is 150,528); bounds the names array of a
    // zero-row batch, whose cell count cannot.
    private static final long MAX_COLUMNS = 1 << 22;

    private TensorRows() {
    }

    /** @param kind "input" or "output", for messages */
    static RowBatch toRows(final List<TensorView> tensors, final String kind) {
        final int count = tensors.size();
        if (count == 0) {
            throw new InvalidRecordException("no-data", "The message has no " + kind + " tensors");
        }
        final V2Datatype[] types = new V2Datatype[count];
        final int[] sizes = new int[count];
        final int[] widths = new int[count];
        int rows = -1;
        long columns = 0;
        boolean strings = false;
        for (int t = 0; t < count; t++) {
            final TensorView tensor = tensors.get(t);
            types[t] = V2Datatype.parse(tensor.datatype(), tensor.name());
            final long[] shape = tensor.shape();
            final long elements = elements(tensor);
            // Counted before anything is allocated, so a huge shape with few elements costs nothing.
            final int actual = TensorCells.count(types[t], tensor);
            if (actual != elements) {
                throw new InvalidRecordException("shape-mismatch", "Tensor \"" + tensor.name() + "\" of shape "
                    + Arrays.toString(shape) + " needs " + elements + " " + types[t] + " elements, it has " + actual
                    + (tensor.raw() == null ? " typed" : " raw"));
            }
            // With no elements the first dimension is not bounded by them: checked before the int cast.
            final long declaredRows = shape.length == 0 ? 1 : shape[0];
            final long width = declaredRows == 0 ? columnsOf(shape) : actual / declaredRows;
            RowBatch.checkDimensions(declaredRows, width, "Tensor \"" + tensor.name() + "\" of shape " + Arrays.toString(shape));
            final int tensorRows = (int) declaredRows;
            if (rows >= 0 && tensorRows != rows) {
                throw new InvalidRecordException("shape-mismatch", "Tensor \"" + tensor.name() + "\" has " + tensorRows
                    + " rows, tensor \"" + tensors.get(0).name() + "\" has " + rows);
            }
            rows = tensorRows;
            sizes[t] = actual;
            widths[t] = (int) width;
            columns += widths[t];
            strings |= types[t] == V2Datatype.BYTES;
        }
        if (columns > MAX_COLUMNS || rows * columns > MAX_CELLS) {
            throw new InvalidRecordException("shape-mismatch", "The " + kind + " tensors hold " + rows + " x " + columns + " cells, too many");
        }
        final int width = (int) columns;
        final double[] values = new double[rows * width];
        final String[] cells = strings ? new String[rows * width] : null;
        if (count == 1) {
            TensorCells.fill(types[0], tensors.get(0), sizes[0], values, cells);
            final String name = tensors.get(0).name();
            return RowBatch.of(width == 1 && !name.isEmpty() ? new String[] {name} : null, values, cells, rows, width);
        }
        int offset = 0;
        for (int t = 0; t < count; t++) {
            scatter(types[t], tensors.get(t), sizes[t], rows, widths[t], offset, width, values, cells);
            offset += widths[t];
        }
        return RowBatch.of(names(tensors, widths, width), values, cells, rows, width);
    }

    /** Reads one tensor densely, then copies its rows into its columns of the wider batch. */
    private static void scatter(final V2Datatype type, final TensorView tensor, final int size, final int rows, final int k,
                                final int offset, final int stride, final double[] values, final String[] cells) {
        final double[] own = new double[size];
        final String[] ownStrings = type == V2Datatype.BYTES ? new String[size] : null;
        TensorCells.fill(type, tensor, size, own, ownStrings);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(own, r * k, values, r * stride + offset, k);
            if (ownStrings != null) {
                System.arraycopy(ownStrings, r * k, cells, r * stride + offset, k);
            }
        }
    }

    private static String[] names(final List<TensorView> tensors, final int[] widths, final int columns) {
        final String[] names = new String[columns];
        int column = 0;
        for (int t = 0; t < widths.length; t++) {
            final String name = tensors.get(t).name();
            if (widths[t] == 1) {
                names[column] = name.isEmpty() ? "f" + column : name;
                column++;
            } else {
                for (int j = 0; j < widths[t]; j++) {
                    names[column] = (name.isEmpty() ? "f" + t : name) + "_" + j;
                    column++;
                }
            }
        }
        return names;
    }

    private static long elements(final TensorView tensor) {
        long product = 1;
        for (final long dimension : tensor.shape()) {
            if (dimension < 0) {
                throw new InvalidRecordException("shape-mismatch", "Tensor \"" + tensor.name() + "\" has shape "
                    + Arrays.toString(tensor.shape()) + "; a message's shape cannot have negative (variable) dimensions");
            }
            try {
                product = Math.multiplyExact(product, dimension);
            } catch (ArithmeticException e) {
                throw new InvalidRecordException("shape-mismatch", "Tensor \"" + tensor.name() + "\" has shape "
                    + Arrays.toString(tensor.shape()) + ", more elements than a long counts", e);
            }
        }
        if (product > MAX_CELLS) {
            throw new InvalidRecordException("shape-mismatch", "Tensor \"" + tensor.name() + "\" has shape "
                + Arrays.toString(tensor.shape()) + ", too many elements");
        }
        return product;
    }

    /** The columns of a zero-row tensor, saturated: its element count (0) says nothing of them. */
    private static int columnsOf(final long[] shape) {
        long columns = 1;
        for (int i = 1; i < shape.length; i++) {
            columns = shape[i] == 0 ? 0 : Math.min(MAX_COLUMNS + 1, columns * Math.min(shape[i], MAX_COLUMNS + 1));
        }
        return (int) columns;
    }
}

