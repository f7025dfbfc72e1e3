package io.monitml.serde;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;


/** Value serdes in the Confluent wire format, registering and fetching schemas through one registry client. */
public final class RegistryAvroSerdes implements AvroSerdeFactory {

    private final SchemaRegistryClient client;

    public RegistryAvroSerdes(final SchemaRegistryClient client) {
        this.client = client;
    }

    @Override
    public <T extends SpecificRecord> Serde<T> valueSerde(final Class<T> type) {
        return AvroSerdes.specific(type, client, false);
    }
}
