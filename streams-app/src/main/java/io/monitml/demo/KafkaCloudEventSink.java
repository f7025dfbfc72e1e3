package io.monitml.demo;

import static io.monitml.ingest.CloudEventAttributes.kafkaHeader;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.monitml.ingest.CloudEventAttributes;

/**
 * Writes each event to a Kafka topic as a binary-mode CloudEvent, the way Knative's KafkaSink
 * stores what the executor posts to it: the body as the value, the attributes as headers. The key
 * is the request id so that a call's request and response land in the same partition.
 *
 * <p>Owns the producer: {@link #close()} flushes and closes it.
 */
public final class KafkaCloudEventSink implements SeldonEventSink {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaCloudEventSink.class);

    /** Failed sends are logged only at these counts so that a down broker cannot flood the log. */
    private static final long LOG_EVERY_NTH_FAILURE = 1000;

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final AtomicLong failures = new AtomicLong();

    public KafkaCloudEventSink(Producer<byte[], byte[]> producer, String topic) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.topic = Objects.requireNonNull(topic, "topic");
    }

    @Override
    public void send(SeldonEvent event) {
        producer.send(toRecord(topic, event), (metadata, exception) -> {
            if (exception != null) {
                long failed = failures.incrementAndGet();
                if (failed == 1 || failed % LOG_EVERY_NTH_FAILURE == 0) {
                    LOG.warn("{} event(s) could not be written to {} so far", failed, topic, exception);
                }
            }
        });
    }

    /** Number of events whose write the producer reported as failed. */
    public long failures() {
        return failures.get();
    }

    /** The record written for an event; exposed for decoders' tests that need realistic input. */
    public static ProducerRecord<byte[], byte[]> toRecord(String topic, SeldonEvent event) {
        List<Header> headers = List.of(
                header(kafkaHeader(CloudEventAttributes.SPEC_VERSION), CloudEventAttributes.SPEC_VERSION_1_0),
                header(kafkaHeader(CloudEventAttributes.ID), event.id()),
                header(kafkaHeader(CloudEventAttributes.TYPE), event.type()),
                header(kafkaHeader(CloudEventAttributes.SOURCE), source(event)),
                header(kafkaHeader(CloudEventAttributes.TIME), event.time().toString()),
                header(kafkaHeader(CloudEventAttributes.REQUEST_ID), event.requestId()),
                header(kafkaHeader(CloudEventAttributes.MODEL_ID), event.modelId()),
                header(kafkaHeader(CloudEventAttributes.INFERENCE_SERVICE_NAME), event.inferenceServiceName()),
                header(kafkaHeader(CloudEventAttributes.NAMESPACE), event.namespace()),
                header(kafkaHeader(CloudEventAttributes.ENDPOINT), event.endpoint()),
                header(kafkaHeader(CloudEventAttributes.PROTOCOL), CloudEventAttributes.SELDON_PROTOCOL),
                header(CloudEventAttributes.CONTENT_TYPE_HEADER, event.contentType()));
        return new ProducerRecord<>(
                topic,
                null,
                event.time().toEpochMilli(),
                event.requestId().getBytes(StandardCharsets.UTF_8),
                event.body(),
                headers);
    }

    /** The CloudEvent source: the predictor's in-cluster service address. */
    static String source(SeldonEvent event) {
        return "http://" + event.inferenceServiceName() + "-" + event.endpoint() + "."
                + event.namespace() + ":8000/";
    }

    private static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        producer.flush();
        producer.close();
    }
}
