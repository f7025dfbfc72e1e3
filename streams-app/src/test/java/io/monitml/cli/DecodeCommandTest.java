package io.monitml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine;

class DecodeCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int decode(final String... args) {
        final CommandLine commandLine = MonitMl.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        return commandLine.execute(args);
    }

    @Test
    void shouldPrintTheRowsTheExecutorsRequestBecomes() throws IOException {
        final Path body = Files.writeString(dir.resolve("request.json"), "{\"data\": {\"ndarray\":[[1.0, 2.0, 5.0], [3, 4, 6]]}}");

        final int exit = decode("decode", "-H", "Ce-Type=io.seldon.serving.inference.request",
            "-H", "Ce-Requestid=33fb419e-8d6b-44e0-a084-8bd4bd4dbf7b", "-H", "Ce-Inferenceservicename=model-logs",
            "-H", "Ce-Endpoint=logging", "-H", "Ce-Modelid=classifier", "-H", "Ce-Namespace=seldon",
            "-H", "Ce-Time=2020-11-06T09:35:09.171644169Z", body.toString());

        assertThat(exit).isZero();
        final JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("kind").asText()).isEqualTo("request");
        assertThat(json.at("/unit/deployment").asText()).isEqualTo("model-logs");
        assertThat(json.at("/unit/variant").asText()).isEqualTo("logging");
        assertThat(json.get("eventTime").asText()).isEqualTo("2020-11-06T09:35:09.171Z");
        assertThat(json.get("rows")).hasSize(2);
        assertThat(json.at("/rows/1/rowIndex").asInt()).isEqualTo(1);
        assertThat(json.at("/rows/1/features/f2").asDouble()).isEqualTo(6.0);
    }

    @Test
    void shouldNameTheDeadLetterReasonAndExitNonZero() throws IOException {
        final Path body = Files.writeString(dir.resolve("bad.json"), "{\"data\": {\"ndarray\": [[1, 2], [3]]}}");

        final int exit = decode("decode", "-H", "type=io.seldon.serving.inference.response", "-H", "requestid=r1",
            "-H", "inferenceservicename=housing", body.toString());

        assertThat(exit).isEqualTo(DecodeCommand.DECODE_ERROR);
        assertThat(err.toString()).contains("dead letter: ragged-ndarray");
        assertThat(out.toString()).isEmpty();
    }
}
