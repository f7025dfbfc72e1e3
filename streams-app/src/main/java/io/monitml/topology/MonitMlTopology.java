package io.monitml.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

import io.monitml.aggregate.FeatureBudget;
import io.monitml.aggregate.FeatureWindow;
import io.monitml.aggregate.PredictionWindow;
import io.monitml.avro.DriftReport;
import io.monitml.avro.FeaturePartial;
import io.monitml.avro.InferenceRecord;
import io.monitml.avro.PredictionPartial;
import io.monitml.avro.PredictionStats;
import io.monitml.avro.TrainingBaseline;
import io.monitml.config.TopologySettings;
import io.monitml.drift.DriftCalculator;
import io.monitml.ingest.InferenceEvent;
import io.monitml.ingest.RecordDecoder;
import io.monitml.ingest.SeldonV2Topic;
import io.monitml.serde.AvroSerdeFactory;
import io.monitml.serde.SizeLimit;
import io.monitml.state.RecentIdsStore;
import io.monitml.state.WriteBehindStore;
import io.monitml.state.WriteBehindStoreBuilder;

/**
 * Builds MonitML's Kafka Streams topology: a pure function of its settings and collaborators.
 *
 * <pre>
 * raw ─► normalize ─► drop duplicate events (by unit, side and request id, within the pairing wait)
 *        ─► prediction-partials (per-partition buffer, flushed every flush interval)
 *                        + its progress ─► repartition by unit (progress to every partition)
 *                        ─► admit units (UnitAdmission: one decision per unit, kept) ─► merge per window, closed when the slowest active input passes its end + grace (WindowMerger)
 *                        ─► monitml.prediction-stats (+ listener: metrics, console)
 *        └─► pairing halves ─┬─ keyed by request id: in place ──────────┬─► pair (bounded wait) ─► rows ─► monitml.inferences (when set)
 *                            └─ others: repartition by request id ─────┘        └─► latency partials ─► (merged with the prediction partials)
 *        └─► answered responses ─┬─ keyed by request id (topics partitioned alike): in place ─┬─► join (predictions kept for the horizon)
 * labels ─► decode ─────────────┴─ others: repartition by request id ───────────────────────┘     ─► performance partials
 *               ─► repartition by unit ─► admit units ─► merge per window, written at every change ─► monitml.performance
 * bad records ─► dead-letter topic (DeadLetterHandler)
 * </pre>
 */
public final class MonitMlTopology {

    private final TopologySettings settings;
    private final AvroSerdeFactory serdes;
    private final PipelineListener listener;
    public MonitMlTopology(final TopologySettings settings, final AvroSerdeFactory serdes, final PipelineListener listener) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.serdes = Objects.requireNonNull(serdes, "serdes");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    public Topology build() {
        final StreamsBuilder builder = new StreamsBuilder();
        final Serde<PredictionPartial> partialSerde = serdes.valueSerde(PredictionPartial.class);
        final Serde<PredictionStats> statsSerde = serdes.valueSerde(PredictionStats.class);

        builder.addStateStore(partialsBuffer(Names.PREDICTION_PARTIALS_BUFFER, partialSerde));
        builder.addStateStore(progressStore(Names.PREDICTION_PARTIALS_PROGRESS));
        addResultStores(builder, Names.CLOSED_PREDICTION_STATS_STORE, Names.LATEST_PREDICTION_STATS_STORE, statsSerde);

        final String v2Prefix = settings.sources().seldonV2Prefix();
        final RecordDecoder decoder = new RecordDecoder(v2Prefix, settings.sources().schemas(), settings.limits());
        KStream<String, InferenceEvent> events = builder
            .stream(inputTopics(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(Names.RAW_SOURCE))
            .process(() -> new NormalizeProcessor(decoder, true, listener), Named.as(Names.NORMALIZE));
        if (v2Prefix != null) {
            final KStream<String, InferenceEvent> v2Events = builder
                .stream(SeldonV2Topic.pattern(v2Prefix), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(Names.SELDON_V2_SOURCE))
                .process(() -> new NormalizeProcessor(decoder, false, listener), Named.as(Names.NORMALIZE_V2));
            events = events.merge(v2Events, Named.as(Names.MERGE_SOURCES));
        }
        builder.addStateStore(RecentIdsStore.builder(Names.RECENT_EVENTS_STORE, settings.pairing().maxWait().toMillis(),
            DropDuplicatesProcessor.MAX_RECENT_EVENTS));
        events = events.process(() -> new DropDuplicatesProcessor(listener), Named.as(Names.DROP_DUPLICATES), Names.RECENT_EVENTS_STORE);

        KStream<String, PredictionPartial> predictionPartials = events
            .process(() -> new PredictionPartialProcessor(settings, listener),
                Named.as(Names.PREDICTION_PARTIALS), Names.PREDICTION_PARTIALS_BUFFER, Names.PREDICTION_PARTIALS_PROGRESS);
        if (settings.pairing().enabled()) {
            predictionPartials = predictionPartials.merge(addPairing(builder, events, partialSerde), Named.as(Names.MERGE_LATENCY_PARTIALS));
        }
        mergeByUnit(builder, predictionPartials, partialSerde, new Merging<>(PipelineListener.PREDICTION_STATISTICS,
                Names.PREDICTION_PARTIALS_BY_UNIT, Names.PREDICTION_STATS_UNITS, Names.ADMIT_PREDICTION_UNITS, Names.PREDICTION_STATS_STORE,
                Names.PREDICTION_STATS_WATERMARK, Names.MERGE_PREDICTION_PARTIALS, PredictionRecords.MERGING,
                liveStore(Names.LIVE_PREDICTION_STATS_STORE, statsSerde), () -> new LivePredictionStats(settings.windowSize().toMillis())))
            .process(() -> new ClosePredictionWindow(new DriftCalculator(settings.drift()), listener), Named.as(Names.TO_PREDICTION_STATS))
            .process(() -> new KeepResults<>(Names.CLOSED_PREDICTION_STATS_STORE, Names.LATEST_PREDICTION_STATS_STORE,
                PredictionStats::getWindowStart), Named.as(Names.KEEP_PREDICTION_STATS),
                Names.CLOSED_PREDICTION_STATS_STORE, Names.LATEST_PREDICTION_STATS_STORE)
            .to(settings.topics().predictionStats(),
                Produced.with(Serdes.String(), output(statsSerde)).withName(Names.PREDICTION_STATS_SINK));

        addDrift(builder, events);
        if (settings.groundTruth().enabled()) {
            new LabelJoinBranch(settings, serdes, listener, this::output).add(builder, events);
        }
        return builder.build();
    }

    /**
     * The names and logic of one merging stage.
     *
     * @param stage    the aggregation, as metrics name it
     * @param topic    the repartition by unit
     * @param units    the store of the units its tasks monitor
     * @param admit    the processor that admits units
     * @param windows  the window store of the aggregates
     * @param watermark the store of the sources' progress and the watermark
     * @param merge    the merging processor
     * @param live     the store of the open windows' results (null: none), filled by {@code open}
     */
    private record Merging<A>(String stage, String topic, String units, String admit, String windows, String watermark, String merge,
                              WindowMerger.Partials<A> partials, StoreBuilder<?> live, Supplier<WindowMerger.OpenWindows<A>> open) {
    }

    /**
     * Sends the partials of every input partition and their sources' progress across the repartition
     * by unit (announcements to every partition), then through the admission of units
     * ({@link AdmitUnitsProcessor}) to a {@link WindowMerger}, whose stores it adds; returns the closed windows.
     */
    private <A> KStream<Windowed<String>, A> mergeByUnit(final StreamsBuilder builder, final KStream<String, A> partials,
                                                         final Serde<A> serde, final Merging<A> merging) {
        builder.addStateStore(Stores.timestampedWindowStoreBuilder(
            Stores.persistentTimestampedWindowStore(merging.windows(), settings.storeRetention(), settings.windowSize(), false),
            Serdes.String(), serde));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(merging.watermark()), Serdes.String(), Serdes.ByteArray()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(merging.units()), Serdes.String(), Serdes.ByteArray()));
        final List<String> mergerStores = new ArrayList<>(List.of(merging.windows(), merging.watermark()));
        if (merging.live() != null) {
            builder.addStateStore(merging.live());
            mergerStores.add(merging.live().name());
        }
        return partials
            .repartition(Repartitioned.with(Serdes.String(), serde).withName(merging.topic()).withStreamPartitioner(Progress.partitioner()))
            .process(() -> new AdmitUnitsProcessor<>(merging.stage(), merging.units(), merging.partials(), settings.limits(), listener),
                Named.as(merging.admit()), merging.units())
            .process(() -> new WindowMerger<>(merging.stage(), merging.windows(), merging.watermark(), merging.partials(),
                merging.open().get(), settings, listener), Named.as(merging.merge()), mergerStores.toArray(String[]::new));
    }

    /** A partial stage's task's progress: one small entry, logged. */
    private static StoreBuilder<KeyValueStore<String, Long>> progressStore(final String name) {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), Serdes.Long());
    }

    /** The CloudEvents topic and, when configured, the Seldon v1 executor's direct Kafka logger topic: one decoder reads both. */
    private List<String> inputTopics() {
        final String v1Topic = settings.sources().seldonV1Topic();
        return v1Topic == null ? List.of(settings.topics().raw()) : List.of(settings.topics().raw(), v1Topic);
    }

    /** Feature distributions per partition, merged per window, compared with the baseline when the window closes. */
    private void addDrift(final StreamsBuilder builder, final KStream<String, InferenceEvent> events) {
        final Serde<FeaturePartial> partialSerde = serdes.valueSerde(FeaturePartial.class);
        final Serde<TrainingBaseline> baselineSerde = serdes.valueSerde(TrainingBaseline.class);
        builder.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(Names.BASELINES_STORE), Serdes.String(), baselineSerde)
                .withLoggingDisabled(),
            settings.topics().baselines(), Consumed.with(Serdes.String(), Serdes.ByteArray()).withName(Names.BASELINES_SOURCE),
            () -> new BaselinesUpdater(baselineSerde.deserializer(), settings.topics().baselines(), listener));
        final FeatureBudget budget = FeatureBudget.of(settings.limits());
        builder.addStateStore(progressStore(Names.FEATURE_PARTIALS_PROGRESS));
        builder.addStateStore(new WriteBehindStoreBuilder<>(Names.FEATURE_PARTIALS_BUFFER,
            PartialBuffers.<FeatureWindow, FeaturePartial>viaAvro(partialSerde, DriftRecords::toAvro,
                partial -> DriftRecords.toWindow(partial, budget))));
        final DriftCalculator calculator = new DriftCalculator(settings.drift());
        final Serde<DriftReport> reportSerde = serdes.valueSerde(DriftReport.class);
        addResultStores(builder, Names.DRIFT_REPORTS_STORE, Names.LATEST_DRIFT_STORE, reportSerde);
        final KStream<String, FeaturePartial> featurePartials = events
            .process(() -> new FeaturePartialProcessor(settings, listener),
                Named.as(Names.FEATURE_PARTIALS), Names.FEATURE_PARTIALS_BUFFER, Names.FEATURE_PARTIALS_PROGRESS);
        mergeByUnit(builder, featurePartials, partialSerde, new Merging<>(PipelineListener.FEATURE_DRIFT, Names.FEATURE_PARTIALS_BY_UNIT,
                Names.FEATURE_WINDOWS_UNITS, Names.ADMIT_FEATURE_UNITS, Names.FEATURE_WINDOWS_STORE, Names.FEATURE_WINDOWS_WATERMARK,
                Names.MERGE_FEATURE_PARTIALS, FeaturePartials.merging(budget), null, WindowMerger.OpenWindows::none))
            .process(() -> new DriftProcessor(calculator, listener), Named.as(Names.DRIFT))
            .process(() -> new KeepResults<>(Names.DRIFT_REPORTS_STORE, Names.LATEST_DRIFT_STORE, DriftReport::getWindowStart),
                Named.as(Names.KEEP_DRIFT_REPORTS), Names.DRIFT_REPORTS_STORE, Names.LATEST_DRIFT_STORE)
            .to(settings.topics().drift(), Produced.with(Serdes.String(), output(reportSerde)).withName(Names.DRIFT_SINK));
    }

    /**
     * The side branch that pairs requests with responses per inference, for latency and, when the
     * topic is set, the joined rows on the inferences topic; returns the paired inferences' latencies
     * as prediction partials, per partition, to merge with the predictions'. Halves already keyed by
     * request id pair where they are; the others cross the repartition by request id first. Both meet
     * in one pairing stage and store: the repartition source joins this sub-topology, so partition p
     * of both topics is one task's.
     */
    private KStream<String, PredictionPartial> addPairing(final StreamsBuilder builder, final KStream<String, InferenceEvent> events,
                                                          final Serde<PredictionPartial> partialSerde) {
        final boolean joinedRows = settings.topics().writesInferences();
        final int maxFeatures = settings.limits().maxFeatures();
        // Write-behind: a request and its response usually come within one commit interval, and then
        // neither RocksDB nor the changelog sees the entry at all.
        builder.addStateStore(WriteBehindStoreBuilder.persistent(Names.PAIRING_STORE, PairingSerdes.entries()));
        builder.addStateStore(RecentIdsStore.builder(Names.PAIRING_RECENT_STORE, settings.pairing().maxWait().toMillis(),
            PairingProcessor.MAX_RECENT_PAIRS));
        builder.addStateStore(partialsBuffer(Names.LATENCY_PARTIALS_BUFFER, partialSerde));
        final KStream<String, InferenceHalf> inPlace = events
            .process(() -> new ToPairingHalvesProcessor(true, joinedRows, maxFeatures), Named.as(Names.TO_PAIRING_HALVES_IN_PLACE));
        final KStream<String, InferenceHalf> repartitioned = events
            .process(() -> new ToPairingHalvesProcessor(false, joinedRows, maxFeatures), Named.as(Names.TO_PAIRING_HALVES))
            .repartition(Repartitioned.with(Serdes.String(), PairingSerdes.halves()).withName(Names.PAIRING_HALVES_BY_REQUEST_ID));
        final KStream<String, PairedInference> pairs = inPlace
            .merge(repartitioned, Named.as(Names.MERGE_PAIRING_HALVES))
            .process(() -> new PairingProcessor(settings.pairing().maxWait(), listener), Named.as(Names.PAIR), Names.PAIRING_STORE,
                Names.PAIRING_RECENT_STORE);
        if (joinedRows) {
            final Serde<InferenceRecord> rowSerde = serdes.valueSerde(InferenceRecord.class);
            pairs.process(JoinedRowsProcessor::new, Named.as(Names.TO_INFERENCE_ROWS))
                .to(settings.topics().inferences(), Produced.with(Serdes.String(), output(rowSerde)).withName(Names.INFERENCES_SINK));
        }
        return pairs.process(() -> new LatencyPartialProcessor(settings, listener), Named.as(Names.LATENCY_PARTIALS),
            Names.LATENCY_PARTIALS_BUFFER);
    }

    /**
     * A result topic's serde: values larger than the topic takes are refused while serializing and
     * counted by the {@link DeadLetterHandler}, so that no result can abort the transaction it is in.
     */
    private <V> Serde<V> output(final Serde<V> serde) {
        return SizeLimit.bounded(serde, settings.limits().maxRecordBytes() - RECORD_OVERHEAD);
    }

    /** Room for a result's key, headers and batch framing within the topic's limit. */
    static final int RECORD_OVERHEAD = 16 << 10;

    /** A queryable store of the open windows' results, in memory and not logged: its writer rebuilds it when its task starts. */
    private <V> StoreBuilder<WindowStore<String, V>> liveStore(final String name, final Serde<V> serde) {
        return Stores.windowStoreBuilder(Stores.inMemoryWindowStore(name, settings.storeRetention(), settings.windowSize(), false),
            Serdes.String(), serde).withLoggingDisabled();
    }

    /** The queryable stores of closed windows' results: every window within the retention, and each unit's latest. */
    private <V> void addResultStores(final StreamsBuilder builder, final String windows, final String latest, final Serde<V> serde) {
        builder.addStateStore(Stores.windowStoreBuilder(
            Stores.persistentWindowStore(windows, settings.storeRetention(), settings.windowSize(), false), Serdes.String(), serde));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(latest), Serdes.String(), serde));
    }

    /** Per-record updates stay live objects; the changelog sees each partial once per commit. */
    private static StoreBuilder<WriteBehindStore<PredictionWindow>> partialsBuffer(final String name, final Serde<PredictionPartial> serde) {
        return new WriteBehindStoreBuilder<>(name, PartialBuffers.viaAvro(serde, PredictionRecords::toAvro, PredictionRecords::toWindow));
    }
}
