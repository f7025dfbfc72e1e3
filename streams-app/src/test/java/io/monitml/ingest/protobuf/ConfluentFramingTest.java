package io.monitml.ingest.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.monitml.ingest.decoded.InvalidRecordException;

class ConfluentFramingTest {

    @Test
    void shouldLeavePlainProtobufAlone() {
        assertThat(ConfluentFraming.payloadOffset(new byte[] {0x0a, 0x01, 0x61})).isZero();
    }

    @Test
    void shouldSkipTheHeaderAndTheSingleByteFirstMessagePath() {
        // magic, schema id 7, path [0] written as one 0 byte, then the protobuf.
        assertThat(ConfluentFraming.payloadOffset(new byte[] {0, 0, 0, 0, 7, 0, 0x0a, 0x00})).isEqualTo(6);
    }

    @Test
    void shouldSkipALongerMessagePath() {
        // Path [1, 0]: count 2 (zigzag 4), index 1 (zigzag 2), index 0 (zigzag 0).
        assertThat(ConfluentFraming.payloadOffset(new byte[] {0, 0, 0, 1, 0, 4, 2, 0, 0x0a, 0x00})).isEqualTo(8);
        // Path [200]: count 1 (zigzag 2), index 200 (zigzag 400 = varint 0x90 0x03).
        assertThat(ConfluentFraming.payloadOffset(new byte[] {0, 0, 0, 0, 1, 2, (byte) 0x90, 0x03, 0x0a, 0x00})).isEqualTo(8);
    }

    @Test
    void shouldRejectABrokenHeader() {
        assertThatThrownBy(() -> ConfluentFraming.payloadOffset(new byte[] {0, 0, 0}))
            .isInstanceOf(InvalidRecordException.class)
            .extracting(e -> ((InvalidRecordException) e).reason()).isEqualTo("bad-protobuf");
        // The path says three indexes but the value ends after one.
        assertThatThrownBy(() -> ConfluentFraming.payloadOffset(new byte[] {0, 0, 0, 0, 1, 6, 2}))
            .extracting(e -> ((InvalidRecordException) e).reason()).isEqualTo("bad-protobuf");
        // A negative count.
        assertThatThrownBy(() -> ConfluentFraming.payloadOffset(new byte[] {0, 0, 0, 0, 1, 1, 0x0a}))
            .extracting(e -> ((InvalidRecordException) e).reason()).isEqualTo("bad-protobuf");
    }
}
