package io.monitml.stats;

import java.nio.ByteBuffer;

import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;

/** Reading the KLL sketches that Avro records carry as bytes. */
public final class Sketches {

    private Sketches() {
    }

    /** A heap copy of the serialized sketch; the buffer's position is left as it was. */
    public static KllDoublesSketch heapify(final ByteBuffer serialized) {
        final ByteBuffer copy = serialized.duplicate();
        final byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return KllDoublesSketch.heapify(Memory.wrap(bytes));
    }
}
