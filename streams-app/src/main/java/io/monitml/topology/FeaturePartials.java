package io.monitml.topology;

import io.monitml.aggregate.FeatureBudget;
import io.monitml.aggregate.FeatureWindow;
import io.monitml.avro.FeaturePartial;

/** Merging {@link FeaturePartial}s. */
final class FeaturePartials {

    private FeaturePartials() {
    }

    /** How the merging stage merges them within the window's budget; a partial holds its rows. */
    static WindowMerger.Partials<FeaturePartial> merging(final FeatureBudget budget) {
        return new WindowMerger.Partials<>() {

            @Override
            public long windowStart(final FeaturePartial partial) {
                return partial.getWindowStart().toEpochMilli();
            }

            @Override
            public FeaturePartial merge(final FeaturePartial aggregate, final FeaturePartial partial) {
                return aggregate == null ? partial : FeaturePartials.merge(aggregate, partial, budget);
            }

            @Override
            public void records(final FeaturePartial partial, final java.util.function.ObjLongConsumer<String> byAggregation) {
                byAggregation.accept(PipelineListener.FEATURE_DRIFT, partial.getRows());
            }
        };
    }

    /** Merged within the window's budget: what each partition kept, as far as the limits allow together. */
    static FeaturePartial merge(final FeaturePartial aggregate, final FeaturePartial partial, final FeatureBudget budget) {
        if (aggregate.getRows() == 0 && aggregate.getFeatures().isEmpty()) {
            // The first partial of a window becomes its aggregate; each was just deserialized, so nothing else holds it.
            return partial;
        }
        final FeatureWindow window = DriftRecords.toWindow(aggregate, budget);
        DriftRecords.merge(window, partial);
        return DriftRecords.toAvro(window);
    }
}
