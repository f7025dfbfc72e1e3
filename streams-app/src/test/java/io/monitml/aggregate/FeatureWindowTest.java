package io.monitml.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;

import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import io.monitml.config.Defaults;
import io.monitml.avro.FeaturePartial;
import io.monitml.avro.FeatureSummary;
import io.monitml.ingest.Limits;
import io.monitml.ingest.Unit;
import io.monitml.ingest.decoded.RowBatch;
import io.monitml.stats.Sketches;
import io.monitml.topology.DriftRecords;


class FeatureWindowTest {

    private static final int FEATURES = 13;

    private static int serializedSize(final FeaturePartial partial) throws IOException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(FeaturePartial.class).write(partial, encoder);
        encoder.flush();
        return out.size();
    }

    private static FeatureWindow windowOf(final int rows) {
        final Random random = new Random(7);
        final FeatureWindow window = new FeatureWindow(new Unit("seldon", "housing", "v1", "classifier"), 0L);
        final String[] names = new String[FEATURES];
        for (int column = 0; column < FEATURES; column++) {
            names[column] = "feature_" + column;
        }
        final int batch = 1_000;
        final double[] values = new double[batch * FEATURES];
        for (int done = 0; done < rows; done += batch) {
            for (int i = 0; i < values.length; i++) {
                values[i] = random.nextGaussian() * 100;
            }
            window.add(RowBatch.of(names, values, null, batch, FEATURES), done);
        }
        return window;
    }

    @Test
    void shouldStayUnder64KiBForThirteenFeaturesWhateverTheRows() throws IOException {
        final int small = serializedSize(DriftRecords.toAvro(windowOf(1_000)));
        final int large = serializedSize(DriftRecords.toAvro(windowOf(1_000_000)));

        assertThat(small).isLessThan(64 * 1024);
        assertThat(large).isLessThan(64 * 1024);
    }

    @Test
    void shouldMergeToTheSameCountsAsOneWindow() {
        final FeatureWindow first = windowOf(3_000);
        final FeatureWindow window = DriftRecords.toWindow(DriftRecords.toAvro(first), FeatureBudget.of(Defaults.limits()));
        DriftRecords.merge(window, DriftRecords.toAvro(windowOf(2_000)));
        final FeaturePartial merged = DriftRecords.toAvro(window);

        assertThat(merged.getRows()).isEqualTo(5_000);
        assertThat(merged.getFeatures()).hasSize(FEATURES).extracting(FeatureSummary::getCount).containsOnly(5_000L);
        assertThat(merged.getUnit().getDeployment()).isEqualTo("housing");
    }

    @Test
    void shouldKeepAtMostTheLimitOfAWideUnnamedTensorAndSummariseItsRows() {
        final int columns = 150_528;
        final double[] values = new double[2 * columns];
        for (int i = 0; i < values.length; i++) {
            values[i] = i < columns ? 1.0 : 3.0;
        }
        final FeatureWindow window = new FeatureWindow(new Unit("seldon", "images", "v1", "resnet"), 0L,
            new FeatureBudget(256, 64, List.of(), Map.of()));

        final int dropped = window.add(RowBatch.of(null, values, null, 2, columns), 1L);

        final FeaturePartial partial = DriftRecords.toAvro(window);
        assertThat(dropped).isEqualTo(columns - 256);
        assertThat(partial.getDroppedFeatures()).isEqualTo(columns - 256);
        assertThat(partial.getDroppedFeatureNames()).containsExactly("f256", "f257", "f258", "f259", "f260", "f261", "f262", "f263",
            "f264", "f265");
        assertThat(partial.getFeatures()).hasSize(256 + 3);
        assertThat(partial.getFeatures()).extracting(FeatureSummary::getName).startsWith("f0", "f1").endsWith("f255",
            FeatureWindow.ROW_MEAN, FeatureWindow.ROW_STD, FeatureWindow.ROW_L2_NORM);
        final FeatureSummary norm = partial.getFeatures().get(256 + 2);
        assertThat(Sketches.heapify(norm.getSketch()).getMaxItem()).isCloseTo(3.0 * Math.sqrt(columns), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(Sketches.heapify(partial.getFeatures().get(256).getSketch()).getMinItem()).isEqualTo(1.0);
    }

    @Test
    void shouldKeepTheBaselinesFeaturesFirstWhenAPayloadHasMoreThanTheLimit() {
        final String[] names = new String[600];
        for (int column = 0; column < names.length; column++) {
            names[column] = "pixel_" + column;
        }
        final FeatureWindow window = new FeatureWindow(new Unit("seldon", "images", "v1", "resnet"), 0L,
            new FeatureBudget(4, 64, List.of("pixel_500", "pixel_7", "absent"), Map.of()));

        window.add(RowBatch.of(names, new double[600], null, 1, 600), 1L);

        assertThat(DriftRecords.toAvro(window).getFeatures()).extracting(FeatureSummary::getName)
            .startsWith("pixel_500", "pixel_7", "pixel_0", "pixel_1").hasSize(4 + 3);
    }

    @Test
    void shouldCountCategoriesBeyondTheLimitAsOtherButKeepTheBaselines() {
        final int rows = 200;
        final String[] cells = new String[rows];
        for (int row = 0; row < rows; row++) {
            cells[row] = row < 100 ? "c" + row : row < 150 ? "x".repeat(200) : "rare";
        }
        final double[] values = new double[rows];
        java.util.Arrays.fill(values, Double.NaN);
        final FeatureWindow window = new FeatureWindow(new Unit("seldon", "shop", "v1", "m"), 0L,
            new FeatureBudget(256, 8, List.of("city"), Map.of("city", java.util.Set.of("rare"))));

        window.add(RowBatch.of(new String[] {"city"}, values, cells, rows, 1), 1L);

        final FeatureSummary city = DriftRecords.toAvro(window).getFeatures().get(0);
        assertThat(city.getCategories()).hasSize(9).containsEntry("rare", 50L).containsKeys("c0", "c7");
        assertThat(city.getOtherCategories()).as("92 late categories and 50 over-long ones").isEqualTo(142);
    }

    @Test
    void shouldBoundThePartialOfAHostileUnitWhateverItSends() throws IOException {
        // Every feature numeric and categorical at once, with the longest names and categories kept.
        final FeatureWindow window = new FeatureWindow(new Unit("seldon", "hostile", "v1", "m"), 0L,
            new FeatureBudget(Limits.DEFAULT_MAX_FEATURES, Limits.DEFAULT_MAX_CATEGORIES, List.of(), Map.of()));
        final Random random = new Random(3);
        final int columns = 300;
        final String[] names = new String[columns];
        for (int column = 0; column < columns; column++) {
            names[column] = String.format("%0" + Limits.MAX_NAME_LENGTH + "d", column);
        }
        for (int batch = 0; batch < 200; batch++) {
            final int rows = 100;
            final double[] values = new double[rows * columns];
            final String[] cells = new String[rows * columns];
            for (int i = 0; i < values.length; i++) {
                if (random.nextBoolean()) {
                    values[i] = random.nextGaussian();
                } else {
                    values[i] = Double.NaN;
                    cells[i] = Long.toString(random.nextLong(), 36) + "y".repeat(Limits.MAX_CATEGORY_LENGTH - 14);
                }
            }
            window.add(RowBatch.of(names, values, cells, rows, columns), batch);
        }

        final long size = serializedSize(DriftRecords.toAvro(window));
        assertThat(size).as("a hostile window's partial against the bound of %d bytes", DriftRecords.maxPartialBytes(Defaults.limits()))
            .isLessThan(DriftRecords.maxPartialBytes(Defaults.limits()));
        assertThat(DriftRecords.maxPartialBytes(Defaults.limits())).as("with the default limits (docs/reliability.md)")
            .isEqualTo(4_923_640L).isLessThan(5L << 20);
    }

    @Test
    void shouldMergeWithinTheLimits() {
        final FeatureBudget budget = new FeatureBudget(3, 64, List.of(), Map.of());
        final FeatureWindow first = new FeatureWindow(new Unit("seldon", "housing", "v1", "m"), 0L, budget);
        first.add(RowBatch.of(new String[] {"a", "b"}, new double[] {1, 2}, null, 1, 2), 1L);
        final FeatureWindow second = new FeatureWindow(new Unit("seldon", "housing", "v1", "m"), 0L, budget);
        second.add(RowBatch.of(new String[] {"c", "d", "e"}, new double[] {1, 2, 3}, null, 1, 3), 1L);

        final FeatureWindow merged = DriftRecords.toWindow(DriftRecords.toAvro(first), budget);
        DriftRecords.merge(merged, DriftRecords.toAvro(second));

        assertThat(DriftRecords.toAvro(merged).getFeatures()).extracting(FeatureSummary::getName).containsExactly("a", "b", "c");
        assertThat(DriftRecords.toAvro(merged).getDroppedFeatures()).isEqualTo(2);
        assertThat(DriftRecords.toAvro(merged).getDroppedFeatureNames()).containsExactly("d", "e");
    }
}
