package io.monitml.topology;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import com.carrotsearch.hppc.IntIntHashMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

import io.monitml.aggregate.PerformanceWindow;
import io.monitml.avro.PerformancePartial;
import io.monitml.config.TopologySettings;
import io.monitml.ingest.Label;
import io.monitml.ingest.LabelJson;
import io.monitml.ingest.Unit;
import io.monitml.ingest.decoded.InvalidRecordException;
import io.monitml.topology.JoinSerdes.KeptPrediction;
import io.monitml.topology.JoinSerdes.WaitingLabel;

/**
 * Joins labels to the predictions they judge, by request id, and adds each judged prediction to the
 * realized performance of its unit in the window of its event time; the partials go downstream every
 * flush interval, as the other partial stages' do.
 *
 * <p>Each prediction is kept in a RocksDB window store for the label horizon of event time: the store
 * drops whole segments as they pass the horizon, so keeping costs no scan. A label finds its
 * prediction there; the prediction is then marked judged (its values dropped), so that a second label
 * for it is counted as a duplicate. A label finds only a prediction made within the horizon before its
 * own time. A label that comes first waits, in a logged store of its own, and is joined when its
 * prediction comes; it waits until the predictions this task has seen are {@code --label-wait} past the
 * label's time (or, once the task has had no prediction for a whole wait on the clock, until the clock
 * is), and is then counted as for an unknown prediction (never sent, or past the horizon). At
 * most {@link #MAX_WAITING_LABELS} wait: beyond, a label with no prediction is counted as unknown at once.
 *
 * <p>The variant is always the prediction's: a label names a request, not a unit. A label whose shape
 * does not fit its prediction (a number for a batch of several rows, a vector of another length, a
 * class for a number) throws before anything changes, and goes to the dead-letter topic with the reason
 * {@value #SHAPE_MISMATCH}; the prediction stays unjudged.
 *
 * <p>Time here is event time, never the order of arrival: the horizon is counted back from the label's
 * time, and a waiting label's wait in the predictions' time (the latest prediction this task has seen,
 * never ahead of the clock). So a backlog replayed after an outage, whose labels may cross the
 * repartition well before the predictions they judge, joins as the live traffic would have. (The
 * labels' source and the events' are one sub-topology, whose tasks take the records of both in
 * timestamp order, so that the labels seldom run far ahead.)
 */
final class LabelJoinProcessor implements Processor<String, JoinInput, String, PerformancePartial> {

    /** The dead-letter reason of a label whose shape does not fit its prediction. */
    static final String SHAPE_MISMATCH = "label-shape-mismatch";
    /**
     * A bound on the labels that came before their prediction, per task, each its label's JSON in RocksDB. Live, labels
     * come after their predictions and few wait; after an outage the stream thread reads every input as fast as it can
     * (it does not wait to order the inputs by time: StreamsProperties), and the labels of a backlog, small records,
     * reach the join well before the predictions they judge: they wait here, as many as the backlog holds (in the
     * pipeline benchmark's replay, most of its 300,310 labels).
     */
    static final int MAX_WAITING_LABELS = 1_000_000;
    private static final Duration MIN_EXPIRY_CHECK = Duration.ofSeconds(1);

    private final long windowSizeMs;
    private final long horizonMs;
    private final long waitMs;
    private final Duration flushInterval;
    private final PipelineListener listener;
    private ProcessorContext<String, PerformancePartial> context;
    private WindowStore<String, KeptPrediction> predictions;
    private KeyValueStore<String, WaitingLabel> waiting;
    private KeyValueStore<String, PerformanceWindow> buffer;
    private long waitingCount;
    /**
     * The waiting labels' request ids by their hash code, with how many wait under each: which ids may be waiting, so that
     * the prediction of an id that is not (most of them, while labels wait in a replay) costs no lookup in RocksDB. HPPC's
     * primitive map takes 8 bytes an entry where a set of the ids would take a hundred.
     */
    private final IntIntHashMap waitingHashes = new IntIntHashMap();
    /**
     * No waiting label is older: the expiry pass scans only when one may have waited long enough. A label
     * joined leaves it as it was, at most early, which costs one scan that sets it right.
     */
    private long earliestWaiting = Long.MAX_VALUE;
    /** The latest prediction's event time this task has seen, never ahead of the clock. */
    private long predictionTime = Long.MIN_VALUE;
    /** When, on the clock, this task last had a prediction (or started). */
    private long lastPredictionAt;
    private long nextExpiry = Long.MIN_VALUE;
    private String task;

    LabelJoinProcessor(final TopologySettings settings, final PipelineListener listener) {
        this.windowSizeMs = settings.windowSize().toMillis();
        this.horizonMs = settings.groundTruth().horizon().toMillis();
        this.waitMs = settings.groundTruth().labelWait().toMillis();
        this.flushInterval = settings.flushInterval();
        this.listener = listener;
    }

    @Override
    public void init(final ProcessorContext<String, PerformancePartial> processorContext) {
        this.context = processorContext;
        this.predictions = processorContext.getStateStore(Names.LABEL_JOIN_PREDICTIONS);
        this.waiting = processorContext.getStateStore(Names.LABEL_JOIN_WAITING);
        this.buffer = processorContext.getStateStore(Names.PERFORMANCE_PARTIALS_BUFFER);
        this.task = processorContext.taskId().toString();
        try (KeyValueIterator<String, WaitingLabel> all = waiting.all()) {
            all.forEachRemaining(entry -> {
                waitingCount++;
                waitingHashes.addTo(entry.key.hashCode(), 1);
                earliestWaiting = Math.min(earliestWaiting, entry.value.since());
            });
        }
        listener.labelsWaiting(task, waitingCount);
        lastPredictionAt = processorContext.currentSystemTimeMs();
        processorContext.schedule(flushInterval, PunctuationType.WALL_CLOCK_TIME, now -> {
            expireWhileIdle(now);
            PartialBuffers.flush(buffer, now, window -> {
                final PerformancePartial partial = PerformanceRecords.toAvro(window);
                context.forward(new Record<>(window.unit().key(), partial, Math.min(window.lastUpdate(), now)));
            });
        });
    }

    @Override
    public void process(final Record<String, JoinInput> record) {
        if (record.value() instanceof JoinInput.Prediction prediction) {
            lastPredictionAt = context.currentSystemTimeMs();
            predictionTime = Math.max(predictionTime, Math.min(prediction.eventTime(), lastPredictionAt));
            maybeExpire();
            keep(record.key(), prediction);
        } else {
            judge(record.key(), (JoinInput.Truth) record.value());
        }
    }

    private void keep(final String requestId, final JoinInput.Prediction prediction) {
        update(prediction.unitKey(), prediction.eventTime(), window -> window.addPredicted(prediction.values().length, prediction.eventTime()));
        final KeptPrediction kept = new KeptPrediction(prediction.unitKey(), false, prediction.values());
        // Live, no label waits; in a replay, few of the labels that wait are this one's: no read of the store then.
        final WaitingLabel early = mayWait(requestId) ? waiting.get(requestId) : null;
        if (early == null) {
            predictions.put(requestId, kept, prediction.eventTime());
            return;
        }
        stopWaiting(requestId);
        final Label label = early.label(requestId);
        final String misfit = misfit(label, kept.values().length);
        if (misfit != null) {
            // Kept unjudged, for a label that fits; the refused one is on this record's dead letter, in its message.
            predictions.put(requestId, kept, prediction.eventTime());
            throw mismatch(misfit + "; the label, which came first: " + new String(LabelJson.write(label), StandardCharsets.UTF_8));
        }
        join(kept, prediction.eventTime(), label);
        predictions.put(requestId, kept.judged(), prediction.eventTime());
    }

    private void judge(final String requestId, final JoinInput.Truth truth) {
        final Label label = truth.label();
        KeyValue<Long, KeptPrediction> found = null;
        try (WindowStoreIterator<KeptPrediction> kept = predictions.fetch(requestId, label.timeMillis() - horizonMs, Long.MAX_VALUE)) {
            if (kept.hasNext()) {
                found = kept.next();
            }
        }
        if (found == null) {
            hold(requestId, truth);
        } else if (found.value.labelled()) {
            listener.labelOutcome(PipelineListener.LABEL_DUPLICATE);
        } else {
            join(found.value, found.key, label);
            predictions.put(requestId, found.value.judged(), found.key);
        }
    }

    /** Adds the judged prediction to its window; throws, changing nothing, when the label's shape does not fit. */
    private void join(final KeptPrediction kept, final long predictionTime, final Label label) {
        final double[] values = kept.values();
        final String misfit = misfit(label, values.length);
        if (misfit != null) {
            throw mismatch(misfit);
        }
        final double[] truths = label.vector() != null ? label.vector() : new double[] {label.number()};
        update(kept.unitKey(), predictionTime, window -> {
            for (int row = 0; row < values.length; row++) {
                if (!Double.isNaN(values[row])) {
                    window.addLabel(values[row], truths[row], predictionTime, label.timeMillis());
                }
            }
        });
        listener.labelOutcome(PipelineListener.LABEL_JOINED);
    }

    /** Why the label cannot judge a prediction of {@code rows} rows, or null when it can. */
    static String misfit(final Label label, final int rows) {
        if (label.category() != null) {
            return "The label's truth is a class, the prediction a number";
        }
        if (label.vector() != null) {
            return label.vector().length == rows ? null : "The label has " + label.vector().length + " truths, the prediction " + rows + " rows";
        }
        return rows == 1 ? null : "The label has one truth, the prediction " + rows + " rows (send one truth per row, as an array)";
    }

    private InvalidRecordException mismatch(final String message) {
        listener.labelOutcome(PipelineListener.LABEL_MISMATCH);
        return new InvalidRecordException(SHAPE_MISMATCH, message);
    }

    private void hold(final String requestId, final JoinInput.Truth truth) {
        final Label label = truth.label();
        if (mayWait(requestId) && waiting.get(requestId) != null) {
            listener.labelOutcome(PipelineListener.LABEL_DUPLICATE);
        } else if (waitingCount >= MAX_WAITING_LABELS || label.timeMillis() + waitMs <= waitTime(context.currentSystemTimeMs())) {
            // No room, or the predictions are past the label's wait already: its prediction was never sent, or is past the horizon.
            listener.labelOutcome(PipelineListener.LABEL_UNKNOWN);
        } else {
            waiting.put(requestId, new WaitingLabel(truth));
            waitingCount++;
            waitingHashes.addTo(requestId.hashCode(), 1);
            earliestWaiting = Math.min(earliestWaiting, label.timeMillis());
        }
    }

    private boolean mayWait(final String requestId) {
        return waitingCount > 0 && waitingHashes.containsKey(requestId.hashCode());
    }

    private void stopWaiting(final String requestId) {
        waiting.delete(requestId);
        waitingCount--;
        final int hash = requestId.hashCode();
        if (waitingHashes.addTo(hash, -1) <= 0) {
            waitingHashes.remove(hash);
        }
        if (waitingCount == 0) {
            // After a replay's hundreds of thousands: give the memory back.
            waitingHashes.release();
        }
    }

    /**
     * The time a waiting label's wait is counted in: the predictions' event time, or, once this task has had no prediction
     * for a whole wait on the clock (the model stopped serving, its logger stopped), the clock, so that a label whose
     * prediction is not coming is counted in the end. A replay's predictions keep coming, so its labels wait in event time.
     */
    private long waitTime(final long now) {
        return now - lastPredictionAt >= waitMs ? Math.max(predictionTime, now) : predictionTime;
    }

    /** On the clock, every flush interval: with no prediction for a whole wait, the labels that waited their wait are unknown. */
    private void expireWhileIdle(final long now) {
        final long time = waitTime(now);
        if (time != predictionTime && waitingCount > 0 && earliestWaiting + waitMs <= time) {
            expire(time);
        }
    }

    /** The labels whose wait the predictions have passed are for predictions this task will not see. */
    private void maybeExpire() {
        final long now = predictionTime;
        if (now < nextExpiry) {
            return;
        }
        nextExpiry = now + Math.max(MIN_EXPIRY_CHECK.toMillis(), waitMs / 4);
        // None waits, or none has waited long enough: no scan (a replay's labels wait for predictions that are coming).
        if (waitingCount == 0 || earliestWaiting + waitMs > now) {
            listener.labelsWaiting(task, waitingCount);
            return;
        }
        expire(now);
    }

    private void expire(final long now) {
        final List<String> expired = new ArrayList<>();
        earliestWaiting = Long.MAX_VALUE;
        try (KeyValueIterator<String, WaitingLabel> all = waiting.all()) {
            all.forEachRemaining(entry -> {
                if (entry.value.since() + waitMs <= now) {
                    expired.add(entry.key);
                } else {
                    earliestWaiting = Math.min(earliestWaiting, entry.value.since());
                }
            });
        }
        expired.forEach(this::stopWaiting);
        expired.forEach(id -> listener.labelOutcome(PipelineListener.LABEL_UNKNOWN));
        listener.labelsWaiting(task, waitingCount);
    }

    private void update(final String unitKey, final long eventTime, final Consumer<PerformanceWindow> change) {
        final long windowStart = PartialBuffers.windowStart(eventTime, windowSizeMs);
        final String key = PartialBuffers.key(unitKey, windowStart);
        PerformanceWindow window = buffer.get(key);
        if (window == null) {
            window = new PerformanceWindow(Unit.fromKey(unitKey), windowStart);
        }
        change.accept(window);
        buffer.put(key, window);
    }

    @Override
    public void close() {
        listener.labelsWaitingGone(task);
    }
}
