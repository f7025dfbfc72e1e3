package io.monitml.topology;

import java.util.Optional;

import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Which records a stage entering the label join takes: those already in the task of their request id
 * (marked {@link NormalizeProcessor#KEYED_BY_REQUEST_ID}), which meet their counterparts where they are,
 * or the others, which cross the repartition by request id.
 *
 * <p>A record is in the task of its request id when its record was keyed by that id and sits in the
 * partition Kafka's default partitioner gives it among the inputs' partitions (all alike:
 * {@link io.monitml.config.TopologySettings.GroundTruth#inPlacePartitions()}). The repartition places
 * the others by the same rule, so a label and its prediction meet whichever way each came. A producer
 * with a partitioner of its own is not trusted: its records cross.
 */
enum Placement {
    IN_PLACE, TO_CROSS;

    /** Whether the record being processed, keyed by {@code key}, sits in the partition the default partitioner gives that key. */
    static boolean inItsPartition(final Optional<RecordMetadata> metadata, final byte[] key, final int partitions) {
        return partitions > 0 && metadata.isPresent() && metadata.get().partition() == Utils.toPositive(Utils.murmur2(key)) % partitions;
    }

    /** Forwards, unchanged, the records this placement takes. */
    <V> Processor<String, V, String, V> filter() {
        return new Processor<>() {
            private ProcessorContext<String, V> context;

            @Override
            public void init(final ProcessorContext<String, V> processorContext) {
                this.context = processorContext;
            }

            @Override
            public void process(final Record<String, V> record) {
                if (NormalizeProcessor.keyedByRequestId(record) == (Placement.this == IN_PLACE)) {
                    context.forward(record);
                }
            }
        };
    }
}
