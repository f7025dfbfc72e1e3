package io.monitml.topology;

import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import io.monitml.avro.TrainingBaseline;
import io.monitml.ingest.Unit;

/** Finding a unit's baseline in the global store of baselines. */
final class Baselines {

    private Baselines() {
    }

    /** The newest baseline of the unit's deployment; one naming the unit's model wins over one for every model. Null if none. */
    static TrainingBaseline of(final KeyValueStore<String, TrainingBaseline> baselines, final Unit unit) {
        TrainingBaseline best = null;
        try (KeyValueIterator<String, TrainingBaseline> all = baselines.all()) {
            while (all.hasNext()) {
                final TrainingBaseline candidate = all.next().value;
                if (!candidate.getDeployment().equals(unit.deployment())
                    || candidate.getModel() != null && !candidate.getModel().equals(unit.model())) {
                    continue;
                }
                if (best == null || rank(candidate) > rank(best)
                    || rank(candidate) == rank(best) && candidate.getCreatedAt().isAfter(best.getCreatedAt())) {
                    best = candidate;
                }
            }
        }
        return best;
    }

    private static int rank(final TrainingBaseline baseline) {
        return baseline.getModel() == null ? 0 : 1;
    }
}
