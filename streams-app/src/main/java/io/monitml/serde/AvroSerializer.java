package io.monitml.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes generated Avro records in the Confluent wire format, registering each record schema once
 * under {@code <topic>-value} or {@code <topic>-key} (TopicNameStrategy). Thread-safe.
 */
public final class AvroSerializer<T extends SpecificRecord> implements Serializer<T> {

    private final SchemaRegistryClient client;
    private final boolean isKey;
    private final Map<String, Registered<T>> registered = new ConcurrentHashMap<>();

    /** The schema last registered for a topic, its id and its writer. */
    private record Registered<T>(Schema schema, int id, SpecificDatumWriter<T> writer) {
    }

    /**
     * @param isKey true to serialize record keys (subject {@code <topic>-key})
     */
    public AvroSerializer(final SchemaRegistryClient client, final boolean isKey) {
        AvroTrust.trustGeneratedClasses();
        this.client = Objects.requireNonNull(client, "client");
        this.isKey = isKey;
    }

    @Override
    public byte[] serialize(final String topic, final T data) {
        if (data == null) {
            return null;
        }
        final Schema schema = data.getSchema();
        // A generated class always returns the same Schema object: the id is looked up once per topic and
        // schema, not hashed through the registry client's cache on every record.
        Registered<T> known = registered.get(String.valueOf(topic));
        if (known == null || known.schema() != schema) {
            final String subject = topic + "-" + WireFormat.part(isKey);
            final int id;
            try {
                id = client.register(subject, schema);
            } catch (SchemaRegistryException e) {
                throw new SerializationException("cannot register the schema " + schema.getFullName()
                        + " of a " + WireFormat.part(isKey) + " of topic " + topic + " under subject " + subject + ": "
                        + e.getMessage(), e);
            }
            known = new Registered<>(schema, id, new SpecificDatumWriter<>(schema));
            registered.put(String.valueOf(topic), known);
        }
        final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        final byte[] header = new byte[WireFormat.HEADER_SIZE];
        WireFormat.writeHeader(header, known.id());
        out.writeBytes(header);
        try {
            final BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            known.writer().write(data, encoder);
            encoder.flush();
        } catch (IOException | AvroRuntimeException | NullPointerException | ClassCastException e) {
            // Avro reports a missing required field as a NullPointerException naming the field.
            throw new SerializationException("cannot encode a " + WireFormat.part(isKey) + " of topic " + topic
                    + " as " + schema.getFullName() + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }
}
