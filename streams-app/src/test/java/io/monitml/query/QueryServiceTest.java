package io.monitml.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.monitml.avro.DriftReport;
import io.monitml.avro.PerformanceReport;
import io.monitml.avro.PredictionStats;
import io.monitml.ingest.Unit;
import io.monitml.topology.Names;

/**
 * Each outcome of each question, over real Kafka Streams stores (in memory, opened outside a
 * topology) under the topology's store names, with the placement of the state set by the test.
 */
class QueryServiceTest {

    private static final HostInfo SELF = new HostInfo("monitml-0", 8080);
    private static final HostInfo OTHER = new HostInfo("monitml-1", 8080);
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    private static final Duration WINDOW = Duration.ofMinutes(1);
    private static final Unit V1 = new Unit("seldon", "housing", "v1", "classifier");
    private static final Unit V2 = new Unit("seldon", "housing", "v2", "classifier");
    private static final Unit FRAUD = new Unit("payments", "fraud", "default", "model");
    private static final TimeRange HOUR = new TimeRange(T0, T0.plus(Duration.ofHours(1)));

    @TempDir
    Path stateDir;

    private final Map<String, StateStore> stores = new HashMap<>();
    private final Map<String, HostInfo> owners = new HashMap<>();
    private String notReady;
    private KeyValueStore<String, PredictionStats> latestStats;
    private WindowStore<String, PredictionStats> closedStats;
    private WindowStore<String, PredictionStats> liveStats;
    private KeyValueStore<String, DriftReport> latestDrift;
    private WindowStore<String, DriftReport> driftReports;
    private WindowStore<String, PerformanceReport> performance;
    private QueryService service;

    @org.junit.jupiter.api.BeforeAll
    static void trustTheGeneratedClasses() {
        // As the project's serdes do before they decode (Avro refuses classes it was not told to trust).
        org.apache.avro.util.ClassSecurityValidator.setGlobal(org.apache.avro.util.ClassSecurityValidator.composite(
            org.apache.avro.util.ClassSecurityValidator.getGlobal(), type -> type.getName().startsWith("io.monitml.avro.")));
    }

    @BeforeEach
    void openStores() {
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "query-service-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        final MockProcessorContext<Object, Object> context = new MockProcessorContext<>(props);
        final Serde<PredictionStats> statsSerde = avro(PredictionStats::fromByteBuffer);
        final Serde<DriftReport> driftSerde = avro(DriftReport::fromByteBuffer);
        latestStats = open(context, Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(Names.LATEST_PREDICTION_STATS_STORE),
            Serdes.String(), statsSerde));
        closedStats = open(context, window(Names.CLOSED_PREDICTION_STATS_STORE, statsSerde));
        liveStats = open(context, window(Names.LIVE_PREDICTION_STATS_STORE, statsSerde));
        latestDrift = open(context, Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(Names.LATEST_DRIFT_STORE),
            Serdes.String(), driftSerde));
        driftReports = open(context, window(Names.DRIFT_REPORTS_STORE, driftSerde));
        performance = open(context, window(Names.PERFORMANCE_REPORTS_STORE, avro(PerformanceReport::fromByteBuffer)));
        service = new QueryService(new TestPlacement());
    }

    @AfterEach
    void closeStores() {
        stores.values().forEach(store -> {
            if (store.isOpen()) {
                store.close();
            }
        });
    }

    @Test
    void answersFromThisInstancesStoresWhenItOwnsTheUnit() {
        closed(V1, T0, 10);
        closed(V1, T0.plus(WINDOW), 20);
        closed(V1, T0.minus(Duration.ofHours(2)), 99);
        live(V1, T0.plus(WINDOW.multipliedBy(2)), 5);
        live(V1, T0.plus(WINDOW.multipliedBy(3)), 1);
        report(V1, T0, "DRIFT");
        report(V1, T0.plus(WINDOW), "OK");

        assertThat(local(service.closedStats(V1, HOUR))).as("in the range, oldest first")
            .extracting(PredictionStats::getCount).containsExactly(10L, 20L);
        assertThat(local(service.latestStats(V1)).getCount()).isEqualTo(20L);
        assertThat(local(service.liveStats(V1))).as("newest first").extracting(PredictionStats::getCount).containsExactly(1L, 5L);
        assertThat(local(service.driftReports(V1, HOUR))).extracting(DriftReport::getStatus).containsExactly("DRIFT", "OK");
        assertThat(local(service.latestDrift(V1)).getStatus()).isEqualTo("OK");
        assertThat(local(service.instances())).containsExactly(SELF, OTHER);
    }

    @Test
    void namesTheOwnerWhenAnotherInstanceHoldsTheUnit() {
        closed(V1, T0, 10);
        report(V1, T0, "OK");
        owners.put(V2.key(), OTHER);

        assertThat(service.closedStats(V2, HOUR)).isEqualTo(new Outcome.Remote<>(OTHER));
        assertThat(service.latestStats(V2)).isEqualTo(new Outcome.Remote<>(OTHER));
        assertThat(service.liveStats(V2)).isEqualTo(new Outcome.Remote<>(OTHER));
        assertThat(service.driftReports(V2, HOUR)).isEqualTo(new Outcome.Remote<>(OTHER));
        assertThat(service.latestDrift(V2)).isEqualTo(new Outcome.Remote<>(OTHER));
        assertThat(service.latestStats(V1)).isInstanceOf(Outcome.Local.class);
    }

    @Test
    void saysWhatIsMissingForAnUnknownUnitAndForOneWithoutAClosedWindow() {
        live(V1, T0, 3);

        assertThat(notFound(service.closedStats(V2, HOUR))).contains("No prediction statistics for unit seldon/housing/v2/classifier");
        assertThat(notFound(service.liveStats(V2))).contains("unknown");
        assertThat(notFound(service.latestDrift(V2))).contains("No drift report for unit seldon/housing/v2/classifier");
        assertThat(notFound(service.driftReports(V1, HOUR))).contains("no window of its requests has closed yet");
        assertThat(notFound(service.latestStats(V1))).as("a unit with a live window only").contains("has closed no window yet", "stats/live");
        assertThat(local(service.liveStats(V1))).hasSize(1);
        assertThat(local(service.closedStats(V1, HOUR))).as("known, with no closed window in the range").isEmpty();
    }

    @Test
    void isNotReadyWhileTheStateCannotBeReadAndNeverThrows() {
        closed(V1, T0, 10);
        notReady = "Kafka Streams is not running (REBALANCING)";

        assertThat(service.latestStats(V1)).isEqualTo(new Outcome.NotReady<>(notReady));
        assertThat(service.instances()).isEqualTo(new Outcome.NotReady<>(notReady));
        assertThat(service.localUnits(new Page(10, null), UnitFilter.of(Map.of()))).isEqualTo(new Outcome.NotReady<>(notReady));

        notReady = null;
        // A store whose task closed it (moved away) throws Kafka Streams' own exception.
        latestStats.close();
        assertThat(service.latestStats(V1)).isInstanceOf(Outcome.NotReady.class)
            .satisfies(outcome -> assertThat(((Outcome.NotReady<?>) outcome).reason()).contains("ask again shortly"));
    }

    @Test
    void listsThisInstancesUnitsInKeyOrderAfterThePagesKeyWithOneMoreToTellThatThereIsMore() {
        closed(V2, T0, 2);
        closed(V1, T0, 1);
        report(V1, T0, "DRIFT");
        report(FRAUD, T0, "OK");

        final List<QueryService.UnitState> all = local(service.localUnits(new Page(10, null), UnitFilter.of(Map.of())));
        assertThat(all).extracting(QueryService.UnitState::key).containsExactly(FRAUD.key(), V1.key(), V2.key());
        assertThat(all.get(0).lastWindow()).as("drift only").isNull();
        assertThat(all.get(1).lastWindow().getCount()).isEqualTo(1L);
        assertThat(all.get(1).drift().getStatus()).isEqualTo("DRIFT");
        assertThat(all.get(2).drift()).isNull();

        assertThat(local(service.localUnits(new Page(1, FRAUD.key()), UnitFilter.of(Map.of()))))
            .extracting(QueryService.UnitState::key).containsExactly(V1.key(), V2.key());
        assertThat(local(service.localUnits(new Page(10, null), UnitFilter.of(Map.of("variant", "v2", "deployment", "housing")))))
            .extracting(QueryService.UnitState::key).containsExactly(V2.key());
    }

    @Test
    void answersRealizedPerformanceByRangeAndTheNewestWindowWithEnoughLabels() {
        performance(V1, T0, 40);
        performance(V1, T0.plus(WINDOW), 31);
        performance(V1, T0.plus(WINDOW.multipliedBy(2)), 12);
        owners.put(V2.key(), OTHER);

        assertThat(local(service.performance(V1, HOUR))).as("in the range, oldest first").extracting(PerformanceReport::getLabelled)
            .containsExactly(40L, 31L, 12L);
        assertThat(local(service.latestPerformance(V1, 30)).getWindowStart()).as("12 labels are too few").isEqualTo(T0.plus(WINDOW));
        assertThat(notFound(service.latestPerformance(V1, 50))).contains("has 50 labels (--min-labels) yet", "/performance");
        assertThat(notFound(service.performance(FRAUD, HOUR))).contains("No realized performance for unit payments/fraud/default/model");
        assertThat(service.latestPerformance(V2, 30)).isEqualTo(new Outcome.Remote<>(OTHER));
    }

    private void performance(final Unit unit, final Instant start, final long labelled) {
        performance.put(unit.key(), PerformanceReport.newBuilder().setUnit(unit.toAvro()).setWindowStart(start).setWindowEnd(start.plus(WINDOW))
            .setUpdatedAt(start.plus(WINDOW)).setPredicted(100).setLabelled(labelled).setMae(1.0).build(), start.toEpochMilli());
    }

    private void closed(final Unit unit, final Instant start, final long count) {
        closedStats.put(unit.key(), stats(unit, start, count), start.toEpochMilli());
        final PredictionStats last = latestStats.get(unit.key());
        if (last == null || last.getWindowStart().isBefore(start)) {
            latestStats.put(unit.key(), stats(unit, start, count));
        }
    }

    private void live(final Unit unit, final Instant start, final long count) {
        liveStats.put(unit.key(), stats(unit, start, count), start.toEpochMilli());
    }

    private void report(final Unit unit, final Instant start, final String status) {
        final DriftReport report = DriftReport.newBuilder().setUnit(unit.toAvro()).setWindowStart(start).setWindowEnd(start.plus(WINDOW))
            .setStatus(status).setDriftDetected(status.equals("DRIFT")).setCorrectedThreshold(0.05).setRows(100).setFeatures(List.of())
            .build();
        driftReports.put(unit.key(), report, start.toEpochMilli());
        latestDrift.put(unit.key(), report);
    }

    private static PredictionStats stats(final Unit unit, final Instant start, final long count) {
        return PredictionStats.newBuilder().setUnit(unit.toAvro()).setWindowStart(start).setWindowEnd(start.plus(WINDOW))
            .setCount(count).setResponses(count).build();
    }

    private static <T> T local(final Outcome<T> outcome) {
        assertThat(outcome).isInstanceOf(Outcome.Local.class);
        return ((Outcome.Local<T>) outcome).value();
    }

    private static String notFound(final Outcome<?> outcome) {
        assertThat(outcome).isInstanceOf(Outcome.NotFound.class);
        return ((Outcome.NotFound<?>) outcome).reason();
    }

    private <S extends StateStore> S open(final MockProcessorContext<Object, Object> context, final StoreBuilder<S> builder) {
        final S store = builder.withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        stores.put(store.name(), store);
        return store;
    }

    private static <V> StoreBuilder<WindowStore<String, V>> window(final String name, final Serde<V> serde) {
        return Stores.windowStoreBuilder(Stores.inMemoryWindowStore(name, Duration.ofDays(1), WINDOW, false), Serdes.String(), serde);
    }

    private interface Decoder<T> {
        T decode(ByteBuffer bytes) throws java.io.IOException;
    }

    private static <T extends SpecificRecord> Serde<T> avro(final Decoder<T> decoder) {
        return Serdes.serdeFrom((topic, value) -> {
            try {
                final ByteBuffer bytes = (ByteBuffer) value.getClass().getMethod("toByteBuffer").invoke(value);
                final byte[] copy = new byte[bytes.remaining()];
                bytes.get(copy);
                return copy;
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }, (topic, bytes) -> {
            try {
                return decoder.decode(ByteBuffer.wrap(bytes));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** The state's placement as the test sets it: every unit here unless {@link #owners} says otherwise. */
    private final class TestPlacement implements Placement {

        @Override
        public HostInfo self() {
            return SELF;
        }

        @Override
        public HostInfo owner(final String store, final String key) {
            ready();
            return owners.getOrDefault(key, SELF);
        }

        @Override
        public List<HostInfo> all() {
            ready();
            return List.of(SELF, OTHER);
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T store(final String name, final QueryableStoreType<T> type) {
            ready();
            final StateStore store = stores.get(name);
            if (!store.isOpen()) {
                // As Kafka Streams' own view of a store whose task closed it.
                throw new org.apache.kafka.streams.errors.InvalidStateStoreException("State store " + name + " is closed");
            }
            return (T) store;
        }

        private void ready() {
            if (notReady != null) {
                throw new StateNotReady(notReady);
            }
        }
    }
}
