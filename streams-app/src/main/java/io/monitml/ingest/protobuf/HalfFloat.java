package io.monitml.ingest.protobuf;

/**
 * IEEE 754 half precision (FP16) to float. Java 17 has no {@code Float.float16ToFloat} (added in
 * Java 20), and every FP16 value is exactly representable as a float, so this is a bit move.
 */
final class HalfFloat {

    private static final int EXPONENT_MASK = 0x1F;
    // Half-precision exponent bias 15, single-precision 127.
    private static final int BIAS_DELTA = 127 - 15;
    private static final float SUBNORMAL_UNIT = 0x1p-24f;

    private HalfFloat() {
    }

    static float toFloat(final int bits) {
        final int sign = (bits & 0x8000) << 16;
        final int exponent = (bits >>> 10) & EXPONENT_MASK;
        final int mantissa = bits & 0x3FF;
        if (exponent == EXPONENT_MASK) {
            // Infinity or NaN; NaN keeps its payload.
            return Float.intBitsToFloat(sign | 0x7F80_0000 | mantissa << 13);
        }
        if (exponent == 0) {
            // Zero or subnormal: mantissa x 2^-24, exact in a float.
            final float magnitude = mantissa * SUBNORMAL_UNIT;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | (exponent + BIAS_DELTA) << 23 | mantissa << 13);
    }
}
