package io.monitml.ingest.protobuf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HalfFloatTest {

    @Test
    void shouldConvertTheValuesTheSpecificationNames() {
        assertThat(HalfFloat.toFloat(0x3C00)).isEqualTo(1.0f);
        assertThat(HalfFloat.toFloat(0xC000)).isEqualTo(-2.0f);
        assertThat(HalfFloat.toFloat(0x7BFF)).isEqualTo(65504.0f);
        assertThat(HalfFloat.toFloat(0x0001)).isEqualTo((float) Math.pow(2, -24));
        assertThat(HalfFloat.toFloat(0x0400)).isEqualTo((float) Math.pow(2, -14));
        assertThat(HalfFloat.toFloat(0x3555)).isEqualTo(0.33325195f);
        assertThat(Float.floatToIntBits(HalfFloat.toFloat(0x8000))).isEqualTo(Float.floatToIntBits(-0.0f));
        assertThat(HalfFloat.toFloat(0x7C00)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(HalfFloat.toFloat(0xFC00)).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(HalfFloat.toFloat(0x7E00)).isNaN();
    }

    @Test
    void shouldAgreeWithTheDefinitionForEveryBitPattern() {
        for (int bits = 0; bits <= 0xFFFF; bits++) {
            final int exponent = (bits >>> 10) & 0x1F;
            final int mantissa = bits & 0x3FF;
            final double sign = (bits & 0x8000) == 0 ? 1.0 : -1.0;
            final float actual = HalfFloat.toFloat(bits);
            if (exponent == 0x1F) {
                assertThat(mantissa == 0 ? Float.isInfinite(actual) : Float.isNaN(actual)).as("bits %04x", bits).isTrue();
            } else {
                // (-1)^s x 2^(e-15) x 1.m, or 2^-14 x 0.m when subnormal.
                final double expected = exponent == 0
                    ? sign * Math.scalb(mantissa / 1024.0, -14)
                    : sign * Math.scalb(1 + mantissa / 1024.0, exponent - 15);
                assertThat((double) actual).as("bits %04x", bits).isEqualTo(expected);
            }
        }
    }
}
