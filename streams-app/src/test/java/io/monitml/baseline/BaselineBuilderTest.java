package io.monitml.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;

import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.monitml.avro.FeatureBaseline;
import io.monitml.avro.FeatureKind;
import io.monitml.avro.TrainingBaseline;

class BaselineBuilderTest {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    @TempDir
    Path dir;

    private static Table boston() throws IOException {
        return TestTables.boston();
    }

    private static BaselineSpec spec(final String target, final Set<String> categorical) {
        return new BaselineSpec("housing", null, "1", target, categorical, Set.of(), Set.of(), 10, 20, 200);
    }

    private static FeatureBaseline feature(final TrainingBaseline baseline, final String name) {
        return baseline.getFeatures().stream().filter(f -> f.getName().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void shouldSummariseEveryBostonFeatureAndTheTarget() throws IOException {
        final TrainingBaseline baseline = new BaselineBuilder(spec("medv", Set.of())).build(boston(), "boston-housing.csv", NOW);

        assertThat(baseline.getRowCount()).isEqualTo(506);
        assertThat(baseline.getFeatures()).hasSize(12).extracting(FeatureBaseline::getName).doesNotContain("medv", "b");
        assertThat(baseline.getTarget().getName()).isEqualTo("medv");
        assertThat(baseline.getTarget().getMax()).isEqualTo(50.0);
        final FeatureBaseline rm = feature(baseline, "rm");
        assertThat(rm.getKind()).isEqualTo(FeatureKind.NUMERIC);
        assertThat(rm.getBinEdges()).hasSize(9).isSorted();
        assertThat(rm.getBinProportions()).hasSize(10).allSatisfy(p -> assertThat(p).isCloseTo(0.1, within(0.02)));
        assertThat(rm.getBinProportions().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, within(1e-12));
        final KllDoublesSketch sketch = KllDoublesSketch.heapify(Memory.wrap(rm.getSketch().array()));
        assertThat(sketch.getN()).isEqualTo(506);
        assertThat(sketch.getMinItem()).isEqualTo(rm.getMin());
    }

    @Test
    void shouldMergeTheRepeatedEdgesOfADiscreteColumn() throws IOException {
        final FeatureBaseline chas = feature(new BaselineBuilder(spec(null, Set.of())).build(boston(), "b", NOW), "chas");

        assertThat(chas.getBinEdges()).containsExactly(0.0);
        assertThat(chas.getBinProportions()).containsExactly(471.0 / 506, 35.0 / 506);
    }

    @Test
    void shouldKeepTheTopCategoriesOfACategoricalColumn() throws IOException {
        final FeatureBaseline chas = feature(new BaselineBuilder(spec(null, Set.of("chas"))).build(boston(), "b", NOW), "chas");

        assertThat(chas.getKind()).isEqualTo(FeatureKind.CATEGORICAL);
        assertThat(chas.getCategories()).containsEntry("0", 471.0 / 506).containsEntry("1", 35.0 / 506);
        assertThat(chas.getOtherProportion()).isCloseTo(0.0, within(1e-12));
        assertThat(chas.getBinEdges()).isEmpty();
    }

    @Test
    void shouldCountMissingValuesAndTypeTextAsCategorical() throws IOException {
        final Table table = TestTables.csv(dir, "t.csv", "x,city,y\n1,\"Boston, MA\",3\nNA,Salem,4\n2.5,,5\n");

        final TrainingBaseline baseline = new BaselineBuilder(new BaselineSpec("d", null, "v", "y", Set.of(), Set.of(), Set.of(),
            10, 1, 200)).build(table, "t.csv", NOW);

        final FeatureBaseline x = feature(baseline, "x");
        assertThat(x.getCount()).isEqualTo(2);
        assertThat(x.getMissingCount()).isEqualTo(1);
        final FeatureBaseline city = feature(baseline, "city");
        assertThat(city.getKind()).isEqualTo(FeatureKind.CATEGORICAL);
        assertThat(city.getCategories()).hasSize(1).containsKey("Boston, MA");
        assertThat(city.getOtherProportion()).isEqualTo(0.5);
    }

    @Test
    void shouldNameWhatIsWrongWithTheInput() throws IOException {
        final Table bad = TestTables.csv(dir, "bad.csv", "a,b\n1,2\n3\n");
        assertThatThrownBy(() -> new BaselineBuilder(spec(null, Set.of())).build(bad, "bad.csv", NOW))
            .hasMessageContaining("bad.csv line 3 has 1 fields, the header has 2");
        assertThatThrownBy(() -> new BaselineBuilder(spec("price", Set.of())).build(boston(), "b", NOW))
            .hasMessageContaining("No column price");
        assertThatThrownBy(() -> new BaselineBuilder(spec(null, Set.of("zip"))).build(boston(), "b", NOW))
            .hasMessageContaining("No column zip");
    }

    @Test
    void shouldKeepTheFirstFeaturesOfAWideTableAndSummariseItsRowsAsAWindowDoes() throws IOException {
        final int columns = 300;
        final java.util.List<String> header = new java.util.ArrayList<>();
        for (int column = 0; column < columns; column++) {
            header.add("f" + column);
        }
        final java.util.Random random = new java.util.Random(11);
        final java.util.List<String[]> rows = new java.util.ArrayList<>();
        final double[] cells = new double[500 * columns];
        for (int row = 0; row < 500; row++) {
            final String[] cellsOfRow = new String[columns];
            for (int column = 0; column < columns; column++) {
                cells[row * columns + column] = Math.floor(random.nextDouble() * 256);
                cellsOfRow[column] = Double.toString(cells[row * columns + column]);
            }
            rows.add(cellsOfRow);
        }

        final TrainingBaseline baseline = new BaselineBuilder(spec(null, Set.of())).build(Table.of("images", header, rows), "images.csv", NOW);

        assertThat(baseline.getFeatures()).hasSize(256 + 3).extracting(FeatureBaseline::getName)
            .startsWith("f0", "f1").endsWith("f255", "row_mean", "row_std", "row_l2_norm");
        // The same rows through a window, as a payload of 300 unnamed columns: the same summaries.
        final io.monitml.aggregate.FeatureWindow window = new io.monitml.aggregate.FeatureWindow(
            new io.monitml.ingest.Unit("seldon", "images", "v1", "m"), 0L);
        window.add(io.monitml.ingest.decoded.RowBatch.of(null, cells, null, 500, columns), 1L);
        for (String summary : io.monitml.aggregate.FeatureWindow.ROW_SUMMARIES) {
            final FeatureBaseline expected = feature(baseline, summary);
            final KllDoublesSketch actual = window.features().stream()
                .filter(f -> f.name().equals(summary)).findFirst().orElseThrow().sketch();
            assertThat(actual.getMinItem()).as(summary).isCloseTo(expected.getMin(), within(1e-9));
            assertThat(actual.getMaxItem()).as(summary).isCloseTo(expected.getMax(), within(1e-9));
        }
        assertThat(feature(baseline, "row_mean").getMean()).isCloseTo(127.5, within(1.0));
    }
}
