package io.monitml.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class KafkaCloudEventSinkTest {

    private static final Instant TIME = Instant.parse("2026-03-01T12:34:56.789123Z");
    private static final byte[] BODY =
            "{\"data\":{\"names\":[\"price\"],\"ndarray\":[[100.0]]},\"meta\":{}}"
                    .getBytes(StandardCharsets.UTF_8);

    private static SeldonEvent responseEvent() {
        return new SeldonEvent(
                SeldonEvent.RESPONSE_TYPE,
                "6a0f6a2e-58b4-4b58-9d56-3c1f3fd1f6a1",
                "0b7e4c55-1c1e-4d4e-a0a6-52e1d3f3c9d0",
                "seldon",
                "housing",
                "v2",
                "classifier",
                TIME,
                SeldonEvent.JSON,
                BODY);
    }

    @Test
    void writesABinaryModeCloudEventWithTheExecutorsAttributes() {
        MockProducer<byte[], byte[]> producer =
                new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());

        try (KafkaCloudEventSink sink = new KafkaCloudEventSink(producer, "seldon-events")) {
            sink.send(responseEvent());
        }

        assertThat(producer.history()).hasSize(1);
        ProducerRecord<byte[], byte[]> record = producer.history().get(0);
        assertThat(record.topic()).isEqualTo("seldon-events");
        assertThat(record.partition()).isNull();
        assertThat(record.timestamp()).isEqualTo(TIME.toEpochMilli());
        assertThat(new String(record.key(), StandardCharsets.UTF_8))
                .isEqualTo("0b7e4c55-1c1e-4d4e-a0a6-52e1d3f3c9d0");
        assertThat(record.value()).isEqualTo(BODY);
        assertThat(headers(record))
                .containsExactly(
                        Map.entry("ce_specversion", "1.0"),
                        Map.entry("ce_id", "6a0f6a2e-58b4-4b58-9d56-3c1f3fd1f6a1"),
                        Map.entry("ce_type", "io.seldon.serving.inference.response"),
                        Map.entry("ce_source", "http://housing-v2.seldon:8000/"),
                        Map.entry("ce_time", "2026-03-01T12:34:56.789123Z"),
                        Map.entry("ce_requestid", "0b7e4c55-1c1e-4d4e-a0a6-52e1d3f3c9d0"),
                        Map.entry("ce_modelid", "classifier"),
                        Map.entry("ce_inferenceservicename", "housing"),
                        Map.entry("ce_namespace", "seldon"),
                        Map.entry("ce_endpoint", "v2"),
                        Map.entry("ce_protocol", "seldon"),
                        Map.entry("content-type", "application/json"));
    }

    @Test
    void eachHeaderNameAppearsOnce() {
        ProducerRecord<byte[], byte[]> record = KafkaCloudEventSink.toRecord("t", responseEvent());

        assertThat(record.headers().toArray()).hasSize(headers(record).size());
    }

    @Test
    void closeFlushesAndClosesTheProducer() {
        MockProducer<byte[], byte[]> producer =
                new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
        KafkaCloudEventSink sink = new KafkaCloudEventSink(producer, "seldon-events");
        sink.send(responseEvent());

        sink.close();

        assertThat(producer.flushed()).isTrue();
        assertThat(producer.closed()).isTrue();
    }

    @Test
    void countsFailedWrites() {
        MockProducer<byte[], byte[]> producer =
                new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
        KafkaCloudEventSink sink = new KafkaCloudEventSink(producer, "seldon-events");
        sink.send(responseEvent());
        sink.send(responseEvent());

        producer.errorNext(new RuntimeException("broker down"));
        producer.completeNext();

        assertThat(sink.failures()).isEqualTo(1);
    }

    private static Map<String, String> headers(ProducerRecord<byte[], byte[]> record) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        return headers;
    }
}
