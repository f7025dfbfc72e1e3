package io.monitml.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.monitml.ingest.Label;

class LabelFileTest {

    private static final long NOW = Instant.parse("2026-12-07T10:00:00Z").toEpochMilli();

    @TempDir
    Path dir;

    private List<Label> read(final String name, final String content) throws IOException {
        final Path file = Files.writeString(dir.resolve(name), content);
        final List<Label> labels = new ArrayList<>();
        new LabelFile(file, NOW).forEach(labels::add);
        return labels;
    }

    @Test
    void readsCsvNumbersClassesAndTimesInEitherForm() throws IOException {
        assertThat(read("labels.csv", "requestId,truth,time\n"
            + "r1,24000,2026-12-07T09:00:00Z\n"
            + "r2,expensive,1700000000000\n"
            + "\"r,3\",-1.5,\n")).containsExactly(
            Label.ofNumber("r1", 24_000, Instant.parse("2026-12-07T09:00:00Z").toEpochMilli()),
            Label.ofCategory("r2", "expensive", 1_700_000_000_000L),
            Label.ofNumber("r,3", -1.5, NOW));
    }

    @Test
    void readsJsonLinesWithVectors() throws IOException {
        assertThat(read("labels.jsonl", "{\"requestId\":\"b\",\"truth\":[1,2]}\n\n{\"requestId\":\"c\",\"truth\":3,\"time\":5}\n"))
            .containsExactly(Label.ofVector("b", new double[] {1, 2}, NOW), Label.ofNumber("c", 3, 5));
    }

    @Test
    void namesTheRowAndTheReasonOfTheFirstRowThatIsNotALabel() {
        assertThatThrownBy(() -> read("labels.csv", "requestId,truth\nr1,1\nr2,NaN\n")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("row 3").hasMessageContaining("non-finite-number");
        assertThatThrownBy(() -> read("labels.csv", "id,truth\nr1,1\n")).hasMessageContaining("No column requestId");
        assertThatThrownBy(() -> read("labels.ndjson", "{\"requestId\":\"a\",\"truth\":1}\n{\"truth\":1}\n"))
            .hasMessageContaining("row 2").hasMessageContaining("missing-request-id");
    }
}
