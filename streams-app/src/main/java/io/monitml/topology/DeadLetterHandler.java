package io.monitml.topology;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.monitml.ingest.decoded.InvalidRecordException;
import io.monitml.serde.AvroDecodingException;

/**
 * Sends every record that cannot be deserialized or processed to the dead-letter topic, with the
 * original key, value and headers and the reason in {@code monitml.error.*} headers, and lets the
 * stream thread go on. Kafka Streams writes these records in the same transaction as the task's
 * output, so under exactly-once a record ends either in a result or in the dead-letter topic.
 *
 * <p>A dead letter is itself held to what its topic takes: past {@link #MAX_BYTES_CONFIG} its value
 * is cut, with the original length in {@value #TRUNCATED_HEADER} (the original stays on its topic
 * at the offset the headers name), since a record the producer refuses would abort the transaction
 * and the same input would be replayed into the same refusal for ever. For the same reason a
 * result that is too large for its topic is refused while serializing ({@link io.monitml.serde.SizeLimit});
 * it is derived state, so it is counted ({@link PipelineListener#recordDropped}) and dropped, and the
 * task goes on.
 */
public final class DeadLetterHandler implements DeserializationExceptionHandler, ProcessingExceptionHandler,
    ProductionExceptionHandler {

    /** Streams config key under which the application passes its {@link PipelineListener}. */
    public static final String LISTENER_CONFIG = "monitml.dead-letter.listener";
    /** Streams config key: the largest dead letter, in bytes (the dead-letter topic's {@code max.message.bytes}). */
    public static final String MAX_BYTES_CONFIG = "monitml.dead-letter.max-bytes";
    /** Set when the value was cut to fit: the original value's length in bytes. */
    public static final String TRUNCATED_HEADER = "monitml.error.truncated-from";
    /** The reason of a record dropped because it is larger than its topic takes. */
    public static final String TOO_LARGE = "too-large";

    public static final String REASON_HEADER = "monitml.error.reason";
    public static final String MESSAGE_HEADER = "monitml.error.message";
    /** decode (a raw input record), deserialize (a value the serdes could not read) or process (anything else). */
    public static final String STAGE_HEADER = "monitml.error.stage";
    public static final String STAGE_DECODE = "decode";
    public static final String STAGE_DESERIALIZE = "deserialize";
    public static final String STAGE_PROCESS = "process";
    public static final String EXCEPTION_HEADER = "monitml.error.exception";
    public static final String TOPIC_HEADER = "monitml.error.topic";
    public static final String PARTITION_HEADER = "monitml.error.partition";
    public static final String OFFSET_HEADER = "monitml.error.offset";
    public static final String PROCESSOR_HEADER = "monitml.error.processor";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandler.class);
    private static final int MAX_MESSAGE_LENGTH = 2000;

    private String topic;
    private PipelineListener listener = PipelineListener.NONE;
    private int maxBytes = io.monitml.ingest.Limits.DEFAULT_MAX_RECORD_BYTES;

    @Override
    public void configure(final Map<String, ?> configs) {
        final Object configured = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        if (configured == null || configured.toString().isBlank()) {
            throw new IllegalStateException(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG
                + " must name the dead-letter topic");
        }
        topic = configured.toString();
        if (configs.get(LISTENER_CONFIG) instanceof PipelineListener configuredListener) {
            listener = configuredListener;
        }
        if (configs.get(MAX_BYTES_CONFIG) != null) {
            maxBytes = Integer.parseInt(configs.get(MAX_BYTES_CONFIG).toString());
        }
    }

    @Override
    public ProductionExceptionHandler.Response handleSerializationError(final ErrorHandlerContext context,
                                                                        final ProducerRecord record, final Exception exception,
                                                                        final SerializationExceptionOrigin origin) {
        return dropped(record.topic(), exception instanceof io.monitml.serde.SizeLimit.TooLargeException ? TOO_LARGE
            : "serialization-error", exception, context);
    }

    /**
     * A send the producer or broker refused. Too large is recoverable under at-least-once only (under
     * exactly-once the transaction is already lost; the serializers refuse such records first).
     * Anything else fails as Kafka Streams would.
     */
    @Override
    public ProductionExceptionHandler.Response handleError(final ErrorHandlerContext context, final ProducerRecord<byte[], byte[]> record,
                                                           final Exception exception) {
        if (exception instanceof org.apache.kafka.common.errors.RecordTooLargeException) {
            return dropped(record.topic(), TOO_LARGE, exception, context);
        }
        return ProductionExceptionHandler.Response.fail();
    }

    private ProductionExceptionHandler.Response dropped(final String target, final String reason, final Exception exception,
                                                        final ErrorHandlerContext context) {
        LOG.error("A record for {} was dropped ({}), written while processing {}-{}@{} in {}: {}", target, reason, context.topic(),
            context.partition(), context.offset(), context.processorNodeId(), exception.getMessage());
        listener.recordDropped(target, reason);
        return ProductionExceptionHandler.Response.resume();
    }

    @Override
    public DeserializationExceptionHandler.Response handleError(final ErrorHandlerContext context,
                                                                final ConsumerRecord<byte[], byte[]> record,
                                                                final Exception exception) {
        return DeserializationExceptionHandler.Response.resume(List.of(deadLetter(context, exception, STAGE_DESERIALIZE)));
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(final ErrorHandlerContext context,
                                                           final Record<?, ?> record,
                                                           final Exception exception) {
        final String node = context.processorNodeId();
        final String stage = Names.NORMALIZE.equals(node) || Names.NORMALIZE_V2.equals(node) || Names.DECODE_LABELS.equals(node) ? STAGE_DECODE : STAGE_PROCESS;
        return ProcessingExceptionHandler.Response.resume(List.of(deadLetter(context, exception, stage)));
    }

    private ProducerRecord<byte[], byte[]> deadLetter(final ErrorHandlerContext context, final Exception exception, final String stage) {
        final String reason = reasonOf(exception);
        final String message = messageOf(exception);
        if (reason.equals(INTERNAL_ERROR)) {
            LOG.error("Processing failed in {} on {}-{}@{}; the record goes to {}",
                context.processorNodeId(), context.topic(), context.partition(), context.offset(), topic, exception);
        } else {
            LOG.debug("Dead-lettering {}-{}@{}: {} ({})", context.topic(), context.partition(), context.offset(), reason, message);
        }
        listener.deadLettered(reason, stage);
        final Headers headers = new RecordHeaders();
        if (context.headers() != null) {
            for (Header header : context.headers()) {
                if (!header.key().startsWith("monitml.error.")) {
                    headers.add(header);
                }
            }
        }
        headers.add(REASON_HEADER, utf8(reason));
        headers.add(MESSAGE_HEADER, utf8(message));
        headers.add(STAGE_HEADER, utf8(stage));
        headers.add(EXCEPTION_HEADER, utf8(exception.getClass().getName()));
        headers.add(TOPIC_HEADER, utf8(String.valueOf(context.topic())));
        headers.add(PARTITION_HEADER, utf8(String.valueOf(context.partition())));
        headers.add(OFFSET_HEADER, utf8(String.valueOf(context.offset())));
        headers.add(PROCESSOR_HEADER, utf8(String.valueOf(context.processorNodeId())));
        // The source record's own timestamp may be the poison (a wrong clock): never write one the broker may refuse.
        final long timestamp = context.timestamp() < 0 ? System.currentTimeMillis() : Math.min(context.timestamp(), System.currentTimeMillis());
        return new ProducerRecord<>(topic, null, timestamp, context.sourceRawKey(), fitting(context.sourceRawKey(),
            context.sourceRawValue(), headers), headers);
    }

    /** The value, cut so that key, value and headers fit the dead-letter topic; a cut is noted in a header. */
    private byte[] fitting(final byte[] key, final byte[] value, final Headers headers) {
        if (value == null) {
            return null;
        }
        long framing = (key == null ? 0 : key.length) + RECORD_FRAMING;
        for (Header header : headers) {
            framing += header.key().length() + (header.value() == null ? 0 : header.value().length) + 10;
        }
        final long room = maxBytes - framing;
        if (value.length <= room) {
            return value;
        }
        headers.add(TRUNCATED_HEADER, utf8(String.valueOf(value.length)));
        return java.util.Arrays.copyOf(value, (int) Math.max(0, room - TRUNCATED_HEADER.length() - 24));
    }

    /** The reason of a record that made a processor fail for a cause of MonitML's own, not the record's. */
    public static final String INTERNAL_ERROR = "internal-error";
    /** A record batch's header and a record's own framing, with room to spare. */
    private static final int RECORD_FRAMING = 1024;

    /** The stable reason code of an exception, looking through wrappers. */
    static String reasonOf(final Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidRecordException invalid) {
                return invalid.reason();
            }
            if (cause instanceof AvroDecodingException avro) {
                return avro.reason().code();
            }
            if (cause instanceof SerializationException) {
                return "deserialization-error";
            }
        }
        return INTERNAL_ERROR;
    }

    private static String messageOf(final Throwable exception) {
        final String message = exception.getMessage() == null ? exception.getClass().getSimpleName() : exception.getMessage();
        return message.length() > MAX_MESSAGE_LENGTH ? message.substring(0, MAX_MESSAGE_LENGTH) : message;
    }

    private static byte[] utf8(final String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
