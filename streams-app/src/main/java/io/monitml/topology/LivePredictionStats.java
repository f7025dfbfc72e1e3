package io.monitml.topology;

import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.WindowStore;

import io.monitml.avro.PredictionPartial;
import io.monitml.avro.PredictionStats;

/**
 * The statistics of each window still open, as of its last merge, in the queryable store
 * {@value Names#LIVE_PREDICTION_STATS_STORE}: written when a partial is merged (a few times per flush
 * interval per unit, not per record), removed when the window closes and its statistics go to the
 * closed windows' stores. The store is in memory and not logged: the merger rebuilds it from its
 * logged aggregates when its task starts.
 */
final class LivePredictionStats implements WindowMerger.OpenWindows<PredictionPartial> {

    private final long windowSizeMs;
    private WindowStore<String, PredictionStats> store;

    LivePredictionStats(final long windowSizeMs) {
        this.windowSizeMs = windowSizeMs;
    }

    @Override
    public void init(final ProcessorContext<?, ?> context) {
        store = context.getStateStore(Names.LIVE_PREDICTION_STATS_STORE);
    }

    @Override
    public void merged(final String key, final long windowStart, final PredictionPartial aggregate) {
        store.put(key, PredictionRecords.toStats(windowStart, windowStart + windowSizeMs, aggregate), windowStart);
    }

    @Override
    public void closed(final String key, final long windowStart) {
        store.put(key, null, windowStart);
    }
}
