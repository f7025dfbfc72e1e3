package io.monitml.serde;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Factories of Confluent-compatible Avro serdes for the generated classes. */
public final class AvroSerdes {

    private AvroSerdes() {
    }

    /**
     * A serde of {@code type} in the Confluent wire format, registering and resolving schemas through
     * {@code client} under TopicNameStrategy subjects.
     *
     * @param isKey true for record keys ({@code <topic>-key}), false for values ({@code <topic>-value})
     */
    public static <T extends SpecificRecord> Serde<T> specific(final Class<T> type, final SchemaRegistryClient client,
            final boolean isKey) {
        return Serdes.serdeFrom(new AvroSerializer<>(client, isKey), new AvroDeserializer<>(type, client, isKey));
    }
}
