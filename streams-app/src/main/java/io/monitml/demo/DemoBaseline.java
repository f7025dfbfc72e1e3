package io.monitml.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.monitml.avro.TrainingBaseline;
import io.monitml.baseline.BaselineBuilder;
import io.monitml.baseline.BaselineSpec;
import io.monitml.baseline.Table;

/**
 * The demo model's training baseline: the Boston features, and as the prediction column what the
 * healthy model predicts for them, in dollars: the distribution a healthy variant's predictions
 * should keep.
 */
public final class DemoBaseline {

    public static final String MODEL_VERSION = "1";

    private DemoBaseline() {
    }

    public static BaselineSpec spec() {
        return new BaselineSpec(TrafficConfig.DEFAULT_DEPLOYMENT, null, MODEL_VERSION, CanaryTrafficGenerator.PREDICTION_NAME,
            Set.of(), Set.of(), Set.of(), BaselineSpec.DEFAULT_BINS, BaselineSpec.DEFAULT_TOP_CATEGORIES, BaselineSpec.DEFAULT_SKETCH_K);
    }

    public static TrainingBaseline build(final Instant createdAt) {
        final BostonHousing data = BostonHousing.load();
        final LinearModel model = LinearModel.fit(data);
        final List<String> header = new ArrayList<>(data.featureNames());
        header.add(CanaryTrafficGenerator.PREDICTION_NAME);
        final List<String[]> rows = new ArrayList<>(data.size());
        final double[][] features = data.features();
        for (double[] row : features) {
            final String[] cells = new String[header.size()];
            for (int column = 0; column < row.length; column++) {
                cells[column] = Double.toString(row[column]);
            }
            cells[cells.length - 1] = Double.toString(model.predict(row) * 1000);
            rows.add(cells);
        }
        try {
            return new BaselineBuilder(spec()).build(Table.of(BostonHousing.RESOURCE, header, rows), BostonHousing.RESOURCE, createdAt);
        } catch (IOException e) {
            throw new UncheckedIOException("rows in memory are not read from a file", e);
        }
    }
}
