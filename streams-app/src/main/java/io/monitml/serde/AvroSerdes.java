package io.monitml.serde;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import org.apache.avro.Schema;
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

    /** The schema compiled into a generated class, without instantiating it. */
    static Schema classSchema(final Class<? extends SpecificRecord> type) {
        try {
            return (Schema) type.getMethod("getClassSchema").invoke(null);
        } catch (NoSuchMethodException e) {
            return schemaField(type);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalArgumentException("cannot read the Avro schema of " + type.getName(), e);
        }
    }

    private static Schema schemaField(final Class<? extends SpecificRecord> type) {
        try {
            final Field field = type.getField("SCHEMA$");
            return (Schema) field.get(null);
        } catch (NoSuchFieldException | IllegalAccessException e) {
            throw new IllegalArgumentException(type.getName()
                    + " is not an Avro-generated class: it has neither getClassSchema() nor SCHEMA$", e);
        }
    }
}
