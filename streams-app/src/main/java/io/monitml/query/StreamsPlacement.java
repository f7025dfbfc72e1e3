package io.monitml.query;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreType;

/**
 * The placement of state as a Kafka Streams client knows it (its metadata and its own stores); a
 * client not running, or whose stores are moving, is {@link StateNotReady}.
 */
final class StreamsPlacement implements Placement {

    private static final Serializer<String> KEYS = Serdes.String().serializer();

    private final KafkaStreams streams;
    private final HostInfo self;

    /** @param self this instance as the others reach it (Kafka Streams' {@code application.server}) */
    StreamsPlacement(final KafkaStreams streams, final HostInfo self) {
        this.streams = streams;
        this.self = self;
    }

    @Override
    public HostInfo self() {
        return self;
    }

    @Override
    public HostInfo owner(final String store, final String key) {
        final KeyQueryMetadata metadata;
        try {
            metadata = streams.queryMetadataForKey(store, key, KEYS);
        } catch (IllegalStateException | InvalidStateStoreException e) {
            // Not started yet (StreamsNotStartedException), or stopping.
            throw notRunning();
        }
        if (metadata == null || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE) || metadata.activeHost().port() < 0) {
            throw new StateNotReady("The tasks holding store " + store + " are being assigned (" + streams.state() + ")");
        }
        return metadata.activeHost();
    }

    @Override
    public List<HostInfo> all() {
        final List<HostInfo> hosts = new ArrayList<>();
        try {
            for (final StreamsMetadata metadata : streams.metadataForAllStreamsClients()) {
                if (metadata.hostInfo().port() >= 0 && !hosts.contains(metadata.hostInfo())) {
                    hosts.add(metadata.hostInfo());
                }
            }
        } catch (IllegalStateException | InvalidStateStoreException e) {
            throw notRunning();
        }
        if (!hosts.contains(self)) {
            hosts.add(0, self);
        }
        return hosts;
    }

    @Override
    public <T> T store(final String name, final QueryableStoreType<T> type) {
        try {
            return streams.store(StoreQueryParameters.fromNameAndType(name, type));
        } catch (InvalidStateStoreException e) {
            if (streams.state() == KafkaStreams.State.CREATED) {
                throw notRunning();
            }
            throw new StateNotReady("Store " + name + " is not queryable now (" + streams.state() + "); ask again shortly");
        }
    }

    private StateNotReady notRunning() {
        return new StateNotReady(streams.state() == KafkaStreams.State.CREATED
            ? "MonitML is starting; its stores are not open yet"
            : "Kafka Streams is not running (" + streams.state() + "); the stores are not queryable");
    }
}
