package io.monitml.drift;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;

import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

import io.monitml.avro.FeaturePartial;
import io.monitml.avro.FeatureSummary;
import io.monitml.ingest.RowBatch;
import io.monitml.ingest.Unit;


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
        final int small = serializedSize(windowOf(1_000).toAvro());
        final int large = serializedSize(windowOf(1_000_000).toAvro());

        assertThat(small).isLessThan(64 * 1024);
        assertThat(large).isLessThan(64 * 1024);
    }

    @Test
    void shouldMergeToTheSameCountsAsOneWindow() {
        final FeatureWindow first = windowOf(3_000);
        final FeatureWindow window = FeatureWindow.fromAvro(first.toAvro());
        window.merge(windowOf(2_000).toAvro());
        final FeaturePartial merged = window.toAvro();

        assertThat(merged.getRows()).isEqualTo(5_000);
        assertThat(merged.getFeatures()).hasSize(FEATURES).extracting(FeatureSummary::getCount).containsOnly(5_000L);
        assertThat(merged.getUnit().getDeployment()).isEqualTo("housing");
    }
}
