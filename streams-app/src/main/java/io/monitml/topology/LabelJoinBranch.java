package io.monitml.topology;

import java.time.Duration;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

import io.monitml.avro.PerformancePartial;
import io.monitml.avro.PerformanceReport;
import io.monitml.config.TopologySettings;
import io.monitml.ingest.InferenceEvent;
import io.monitml.serde.AvroSerdeFactory;
import io.monitml.state.WriteBehindStoreBuilder;

/** The label join's part of {@link MonitMlTopology}: its stores, its two repartitions and its processors. */
final class LabelJoinBranch {

    private final TopologySettings settings;
    private final AvroSerdeFactory serdes;
    private final PipelineListener listener;
    private final OutputSerdes output;

    /** The serde of a result topic, bounded to what the topic takes (as {@link MonitMlTopology} bounds its results). */
    interface OutputSerdes {
        <V> Serde<V> apply(Serde<V> serde);
    }

    LabelJoinBranch(final TopologySettings settings, final AvroSerdeFactory serdes, final PipelineListener listener,
                    final OutputSerdes output) {
        this.settings = settings;
        this.serdes = serdes;
        this.listener = listener;
        this.output = output;
    }

    /**
     * The label join: each answered response's predictions and each label meet in the task of their
     * request id. Those whose record was keyed by the request id are there already when the labels topic
     * is partitioned as the inputs ({@link TopologySettings.GroundTruth#inPlacePartitions()}); the others cross one
     * repartition by request id, so that they meet whatever their topics' partitions. The realized
     * performance per (unit, window of the prediction) is flushed as partials to a merging stage by
     * unit, which writes each window's figures so far at every change.
     */
    void add(final StreamsBuilder builder, final KStream<String, InferenceEvent> events) {
        final Serde<PerformancePartial> partialSerde = serdes.valueSerde(PerformancePartial.class);
        final Serde<PerformanceReport> reportSerde = serdes.valueSerde(PerformanceReport.class);
        final TopologySettings.GroundTruth truth = settings.groundTruth();
        builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(Names.LABEL_JOIN_PREDICTIONS,
            truth.horizon(), Duration.ofMillis(1), false), Serdes.String(), JoinSerdes.kept()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Names.LABEL_JOIN_WAITING), Serdes.String(),
            JoinSerdes.waiting()));
        builder.addStateStore(new WriteBehindStoreBuilder<>(Names.PERFORMANCE_PARTIALS_BUFFER,
            PartialBuffers.viaAvro(partialSerde, PerformanceRecords::toAvro, PerformanceRecords::toWindow)));
        builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(Names.PERFORMANCE_STORE,
            settings.performanceRetention(), settings.windowSize(), false), Serdes.String(), partialSerde));
        builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(Names.PERFORMANCE_REPORTS_STORE,
            settings.performanceRetention(), settings.windowSize(), false), Serdes.String(), reportSerde));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(Names.PERFORMANCE_UNITS), Serdes.String(),
            Serdes.ByteArray()));
        final long maxSkew = settings.limits().maxClockSkew().toMillis();
        final int partitions = truth.inPlacePartitions();
        final boolean inPlace = partitions > 0;
        final KStream<String, JoinInput> labels = builder
            .stream(settings.topics().labels(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(Names.LABELS_SOURCE))
            .process(() -> new LabelsProcessor(maxSkew, partitions, listener), Named.as(Names.DECODE_LABELS));
        final KStream<String, JoinInput> predictions = events
            .process(() -> new ToJoinPredictionsProcessor(partitions), Named.as(Names.TO_JOIN_PREDICTIONS));
        KStream<String, JoinInput> inputs = inPlace
            ? predictions.process(Placement.TO_CROSS::<JoinInput>filter, Named.as(Names.PREDICTIONS_TO_CROSS))
                .merge(labels.process(Placement.TO_CROSS::<JoinInput>filter, Named.as(Names.LABELS_TO_CROSS)), Named.as(Names.MERGE_JOIN_INPUTS))
            : predictions.merge(labels, Named.as(Names.MERGE_JOIN_INPUTS));
        final Repartitioned<String, JoinInput> byRequestId = Repartitioned.with(Serdes.String(), JoinSerdes.inputs())
            .withName(Names.JOIN_INPUTS_BY_REQUEST_ID);
        // In place: as many partitions as the inputs, whatever the other sources of the sub-topology (Seldon v2's topics) have.
        inputs = inputs.repartition(inPlace ? byRequestId.withNumberOfPartitions(partitions) : byRequestId);
        if (inPlace) {
            // The labels' source joins the events' sub-topology: partition p of the inputs, the labels and the repartition is one task's.
            inputs = predictions.process(Placement.IN_PLACE::<JoinInput>filter, Named.as(Names.PREDICTIONS_IN_PLACE))
                .merge(labels.process(Placement.IN_PLACE::<JoinInput>filter, Named.as(Names.LABELS_IN_PLACE)),
                    Named.as(Names.MERGE_JOIN_INPUTS_IN_PLACE))
                .merge(inputs, Named.as(Names.MERGE_JOIN_INPUTS_CROSSED));
        }
        inputs
            .process(() -> new LabelJoinProcessor(settings, listener), Named.as(Names.JOIN_LABELS), Names.LABEL_JOIN_PREDICTIONS,
                Names.LABEL_JOIN_WAITING, Names.PERFORMANCE_PARTIALS_BUFFER)
            .repartition(Repartitioned.with(Serdes.String(), partialSerde).withName(Names.PERFORMANCE_PARTIALS_BY_UNIT))
            .process(() -> new AdmitUnitsProcessor<>(PipelineListener.PERFORMANCE, Names.PERFORMANCE_UNITS, PerformanceRecords.MERGING,
                settings.limits(), listener), Named.as(Names.ADMIT_PERFORMANCE_UNITS), Names.PERFORMANCE_UNITS)
            .process(() -> new PerformanceMerger(settings, listener), Named.as(Names.MERGE_PERFORMANCE), Names.PERFORMANCE_STORE,
                Names.PERFORMANCE_REPORTS_STORE)
            .to(settings.topics().performance(), Produced.with(Serdes.String(), output.apply(reportSerde)).withName(Names.PERFORMANCE_SINK));
    }
}
