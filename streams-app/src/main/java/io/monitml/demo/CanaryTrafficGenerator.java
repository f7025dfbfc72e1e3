package io.monitml.demo;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Simulates the demo's Seldon Core v1 canary: house-price requests built from the Boston data, a
 * stable variant serving the linear model and a canary that answers {@value #CANARY_PREDICTION}
 * dollars, logged as the executor's request logger does (one request and one response event per
 * call). After {@link TrafficConfig#driftAfter()} the input distribution shifts.
 *
 * <p>Not thread-safe, except {@link #close()}, which may be called from any thread to stop {@link
 * #run()}. Does not close the sink: its owner does.
 */
public final class CanaryTrafficGenerator implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CanaryTrafficGenerator.class);

    /** The canary's constant answer, in dollars. */
    public static final double CANARY_PREDICTION = 100.0;
    /** Median simulated latency of the stable model; the broken canary answers in a tenth of it. */
    static final double STABLE_MEDIAN_LATENCY_MS = 20.0;
    private static final double LATENCY_SPREAD = 0.35;

    /** Name of the response's single column. */
    public static final String PREDICTION_NAME = "price";

    /** The model predicts {@code medv}, in thousands of dollars. */
    private static final double DOLLARS_PER_MEDV_UNIT = 1000.0;

    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final TrafficConfig config;
    private final BostonHousing data;
    private static final int DISCRETE_BELOW = 100;

    private final LinearModel model;
    private final SeldonEventSink sink;
    private final Clock clock;
    private final Random random;
    private final boolean[] binary;
    private final boolean[] nonNegative;
    private final boolean[] discrete;
    private final double[] driftScale;
    private final double[] driftOffset;
    private final Instant driftStartsAt;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile boolean closed;
    private boolean driftAnnounced;
    private long requestsGenerated;
    private final double[] prices;
    private GroundTruth truth;

    /**
     * @param clock gives the events' time and decides when drift starts; drift starts {@code
     *     config.driftAfter()} after this constructor ran
     * @throws IllegalArgumentException if a drifted feature is unknown or binary, or the model was
     *     fitted on other features than the data has
     */
    public CanaryTrafficGenerator(TrafficConfig config, BostonHousing data, LinearModel model, SeldonEventSink sink, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.data = Objects.requireNonNull(data, "data");
        this.model = Objects.requireNonNull(model, "model");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (!model.featureNames().equals(data.featureNames())) {
            throw new IllegalArgumentException(
                    "model features " + model.featureNames() + " differ from data " + data.featureNames());
        }
        this.random = new Random(config.seed());
        int width = data.featureNames().size();
        this.binary = new boolean[width];
        this.nonNegative = new boolean[width];
        classifyColumns(data.features(), binary, nonNegative);
        this.discrete = discreteColumns(data.features());
        this.driftScale = new double[width];
        this.driftOffset = new double[width];
        Arrays.fill(driftScale, 1.0);
        for (FeatureShift shift : config.drift()) {
            int j = data.featureIndex(shift.feature());
            if (binary[j]) {
                // Shifting a 0/1 column would produce values the real service never sees.
                throw new IllegalArgumentException("cannot drift binary feature " + shift.feature());
            }
            driftScale[j] = shift.scale();
            driftOffset[j] = shift.offset();
        }
        this.driftStartsAt = clock.instant().plus(config.driftAfter());
        this.prices = data.medv();
        for (int i = 0; i < prices.length; i++) {
            prices[i] *= DOLLARS_PER_MEDV_UNIT;
        }
    }

    /** Lets the truths of a share of the calls become known later ({@link GroundTruth}); call before {@link #run()}. */
    public CanaryTrafficGenerator labelledBy(final GroundTruth groundTruth) {
        this.truth = groundTruth;
        return this;
    }

    /** Sends the labels that are due now; {@link #run()} does so every tick. */
    public void sendDueLabels() {
        if (truth != null) {
            truth.sendDue(clock.instant());
        }
    }

    /**
     * Columns with few distinct values (town-level codes and rates such as rad, tax or ptratio)
     * take no noise: noise would smear their repeated values into ones the real traffic never has,
     * which a drift test rightly flags.
     */
    private static boolean[] discreteColumns(final double[][] rows) {
        final int width = rows.length == 0 ? 0 : rows[0].length;
        final boolean[] discrete = new boolean[width];
        for (int j = 0; j < width; j++) {
            final java.util.Set<Double> distinct = new java.util.HashSet<>();
            for (double[] row : rows) {
                distinct.add(row[j]);
            }
            discrete[j] = distinct.size() < DISCRETE_BELOW;
        }
        return discrete;
    }

    /** Loads the shipped data, fits the model on it and uses the system clock. */
    public static CanaryTrafficGenerator create(TrafficConfig config, SeldonEventSink sink) {
        BostonHousing data = BostonHousing.load();
        LinearModel model = LinearModel.fit(data);
        LOG.info("Fitted the stable variant's linear model on {} rows: R^2 = {}",
                data.size(), String.format("%.4f", model.rSquared()));
        return new CanaryTrafficGenerator(config, data, model, sink, Clock.systemUTC());
    }

    private static void classifyColumns(double[][] rows, boolean[] binary, boolean[] nonNegative) {
        Arrays.fill(binary, true);
        Arrays.fill(nonNegative, true);
        for (double[] row : rows) {
            for (int j = 0; j < row.length; j++) {
                binary[j] &= row[j] == 0.0 || row[j] == 1.0;
                nonNegative[j] &= row[j] >= 0.0;
            }
        }
    }

    /** Makes one call: draws its rows, routes and predicts it, and sends its two events. */
    public GeneratedRequest nextRequest() {
        Instant requestTime = clock.instant();
        boolean drifted = !requestTime.isBefore(driftStartsAt);
        if (drifted && !driftAnnounced) {
            driftAnnounced = true;
            LOG.info("Input drift starts now ({} requests so far): {}", requestsGenerated, config.drift());
        }
        boolean canary = random.nextDouble() < config.canaryShare();
        String endpoint = canary ? config.canaryVariant() : config.stableVariant();
        int batch = random.nextDouble() < config.batchShare() ? 2 + random.nextInt(2) : 1;
        double[][] rows = new double[batch][];
        double[] predictions = new double[batch];
        double[] truths = new double[batch];
        for (int i = 0; i < batch; i++) {
            int house = random.nextInt(data.size());
            rows[i] = sampleRow(house, drifted);
            truths[i] = prices[house];
            predictions[i] =
                    canary ? CANARY_PREDICTION : DOLLARS_PER_MEDV_UNIT * model.predict(rows[i]);
        }

        String requestId = UUID.randomUUID().toString();
        SeldonEvent request = event(SeldonEvent.REQUEST_TYPE, requestId, endpoint, requestTime,
                SeldonMessages.request(data.featureNames(), rows));
        SeldonEvent response = event(SeldonEvent.RESPONSE_TYPE, requestId, endpoint, requestTime.plusMillis(latencyMillis(canary)),
                SeldonMessages.response(PREDICTION_NAME, predictions));
        sink.send(request);
        sink.send(response);
        requestsGenerated++;
        if (truth != null) {
            truth.called(requestId, truths, response.time());
        }
        return new GeneratedRequest(requestId, endpoint, rows, predictions, truths, drifted, request, response);
    }

    /**
     * A simulated serving latency, log-normal: the stable model takes about 20 ms, the canary that
     * answers a constant about 2 ms. Whole milliseconds, as CloudEvents' times carry them.
     */
    private long latencyMillis(final boolean canary) {
        final double median = canary ? STABLE_MEDIAN_LATENCY_MS / 10 : STABLE_MEDIAN_LATENCY_MS;
        return Math.round(median * Math.exp(LATENCY_SPREAD * random.nextGaussian()));
    }

    /** Makes {@code requests} calls as fast as the sink takes them. */
    public void generate(int requests) {
        for (int i = 0; i < requests; i++) {
            nextRequest();
        }
    }

    /**
     * Makes calls at {@link TrafficConfig#requestsPerSecond()} until {@link #close()} or an
     * interrupt. Calls are made in batches every 10 ms; after a stall (GC, slow broker) at most one
     * second's backlog is caught up so that the rate never spikes far above the configured one.
     */
    @Override
    public void run() {
        if (!running.compareAndSet(false, true)) {
            throw new IllegalStateException("already running");
        }
        LOG.info("Generating {} requests/s to {}/{}: {} share to {}, drift at {}",
                config.requestsPerSecond(), config.namespace(), config.deployment(),
                config.canaryShare(), config.canaryVariant(), driftStartsAt);
        long maxBacklog = Math.max(1, (long) Math.ceil(config.requestsPerSecond()));
        long start = System.nanoTime();
        long made = 0;
        try {
            while (!closed && !Thread.currentThread().isInterrupted()) {
                long elapsed = System.nanoTime() - start;
                long due = (long) (elapsed * config.requestsPerSecond() / TimeUnit.SECONDS.toNanos(1));
                made = Math.max(made, due - maxBacklog);
                while (made < due && !closed) {
                    nextRequest();
                    made++;
                }
                sendDueLabels();
                long nextTick = (elapsed / TICK_NANOS + 1) * TICK_NANOS;
                long pause = nextTick - (System.nanoTime() - start);
                if (pause > 0) {
                    TimeUnit.NANOSECONDS.sleep(pause);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            running.set(false);
            LOG.info("Stopped after {} requests", requestsGenerated);
        }
    }

    /** Whether calls made now get drifted inputs. */
    public boolean drifting() {
        return !clock.instant().isBefore(driftStartsAt);
    }

    /** When drift starts. */
    public Instant driftStartsAt() {
        return driftStartsAt;
    }

    /** Number of calls made so far. */
    public long requestsGenerated() {
        return requestsGenerated;
    }

    public TrafficConfig config() {
        return config;
    }

    /** Stops {@link #run()} within one tick; the sink stays open. */
    @Override
    public void close() {
        closed = true;
    }

    /**
     * A random data row with multiplicative log-normal noise, which keeps signs (so non-negative
     * features stay non-negative) and leaves zeros and binary columns alone, then the drift shifts.
     */
    private double[] sampleRow(int house, boolean drifted) {
        double[] row = data.row(house);
        for (int j = 0; j < row.length; j++) {
            if (binary[j]) {
                continue;
            }
            if (!discrete[j]) {
                row[j] *= Math.exp(config.noiseLevel() * random.nextGaussian());
            }
            if (drifted) {
                row[j] = driftScale[j] * row[j] + driftOffset[j];
                if (nonNegative[j] && row[j] < 0) {
                    row[j] = 0;
                }
            }
        }
        return row;
    }

    private SeldonEvent event(String type, String requestId, String endpoint, Instant time, byte[] body) {
        return new SeldonEvent(type, UUID.randomUUID().toString(), requestId, config.namespace(),
                config.deployment(), endpoint, config.modelId(), time, SeldonEvent.JSON, body);
    }
}
