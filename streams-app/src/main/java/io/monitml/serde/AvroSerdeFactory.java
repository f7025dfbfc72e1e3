package io.monitml.serde;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/** Makes value serdes for the project's Avro records (schema registry wire format in production). */
@FunctionalInterface
public interface AvroSerdeFactory {

    <T extends SpecificRecord> Serde<T> valueSerde(Class<T> type);
}
