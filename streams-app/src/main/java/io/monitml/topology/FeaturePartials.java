package io.monitml.topology;

import java.time.Instant;
import java.util.List;


import io.monitml.avro.FeaturePartial;
import io.monitml.drift.FeatureBudget;
import io.monitml.drift.FeatureWindow;
import io.monitml.ingest.Unit;

/** Merging {@link FeaturePartial}s. */
final class FeaturePartials {

    private FeaturePartials() {
    }

    /** The aggregate's initial value: unit and window are taken from the first partial merged in. */
    static FeaturePartial initial() {
        return FeaturePartial.newBuilder()
            .setUnit(new Unit("", "", "", "").toAvro())
            .setWindowStart(Instant.EPOCH)
            .setLastEventTime(Instant.EPOCH)
            .setRows(0)
            .setFeatures(List.of())
            .build();
    }

    /** Merged within the window's budget: what each partition kept, as far as the limits allow together. */
    static FeaturePartial merge(final FeaturePartial aggregate, final FeaturePartial partial, final FeatureBudget budget) {
        if (aggregate.getRows() == 0 && aggregate.getFeatures().isEmpty()) {
            // The first partial of a window becomes its aggregate; each was just deserialized, so nothing else holds it.
            return partial;
        }
        final FeatureWindow window = FeatureWindow.fromAvro(aggregate, budget);
        window.merge(partial);
        return window.toAvro();
    }
}
