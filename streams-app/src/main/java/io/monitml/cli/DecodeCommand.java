package io.monitml.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import io.monitml.config.Defaults;
import io.monitml.ingest.InferenceEvent;
import io.monitml.ingest.ModelSchemas;
import io.monitml.ingest.RecordDecoder;
import io.monitml.ingest.decoded.InvalidRecordException;
import io.monitml.ingest.decoded.RowBatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code monitml decode}: decodes one payload exactly as the pipeline would and prints its rows,
 * or the reason it would go to the dead-letter topic.
 */
@Command(name = "decode", mixinStandardHelpOptions = true,
    description = {
        "Decode one payload exactly as the pipeline would: prints the model identity, request id and each row's "
            + "features or predictions as JSON, or the dead-letter reason (exit code 2).",
        "Example: monitml decode -H ce-type=io.seldon.serving.inference.request -H ce-requestid=r1 "
            + "-H ce-inferenceservicename=housing -H ce-endpoint=v1 body.json"})
final class DecodeCommand implements Callable<Integer> {

    static final int DECODE_ERROR = 2;

    @Spec
    CommandSpec spec;

    @Option(names = {"-H", "--header"}, paramLabel = "NAME=VALUE",
        description = "A header of the record or HTTP request, repeatable: Ce-Type=..., ce_requestid=..., or the v1 "
            + "Kafka logger's bare names (type=..., requestid=...).")
    Map<String, String> headers = new LinkedHashMap<>();

    @Option(names = "--topic", paramLabel = "TOPIC", defaultValue = "monitml.raw",
        description = "The topic the record came from: Seldon Core v2 topics (<prefix>.<ns>.model.<model>.inputs|outputs) "
            + "decode as protobuf. Default: ${DEFAULT-VALUE}.")
    String topic;

    @Option(names = "--seldon-v2-prefix", paramLabel = "PREFIX", defaultValue = RecordDecoder.DEFAULT_V2_PREFIX,
        description = "The Seldon Core v2 topic prefix. Default: ${DEFAULT-VALUE}.")
    String v2Prefix;

    @Option(names = "--models-file", paramLabel = "FILE", description = "Feature names and categorical features of models "
        + "whose payloads lack them, as the pipeline's --models-file.")
    Path modelsFile;

    @Option(names = "--timestamp", paramLabel = "RFC3339",
        description = "The record timestamp, the event time when no ce-time header is given. Default: now.")
    Instant timestamp;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "The body; - or absent: standard input.")
    Path file;

    @Override
    public Integer call() throws IOException {
        final byte[] body = readBody();
        final Headers recordHeaders = new RecordHeaders();
        headers.forEach((name, value) -> recordHeaders.add(name, value.getBytes(StandardCharsets.UTF_8)));
        final long recordTime = (timestamp == null ? Instant.now() : timestamp).toEpochMilli();
        final PrintWriter out = spec.commandLine().getOut();
        try {
            final InferenceEvent event = new RecordDecoder(v2Prefix, modelsFile == null ? ModelSchemas.none() : ModelSchemas.read(modelsFile), Defaults.limits()).decode(topic, recordHeaders, null, body, recordTime);
            print(event, out);
            return 0;
        } catch (InvalidRecordException e) {
            spec.commandLine().getErr().println("dead letter: " + e.reason() + ": " + e.getMessage());
            spec.commandLine().getErr().flush();
            return DECODE_ERROR;
        }
    }

    private byte[] readBody() throws IOException {
        if (file == null || file.toString().equals("-")) {
            try (InputStream in = System.in) {
                return in.readAllBytes();
            }
        }
        return Files.readAllBytes(file);
    }

    private static void print(final InferenceEvent event, final PrintWriter out) throws IOException {
        try (JsonGenerator json = new JsonFactory().createGenerator(out).useDefaultPrettyPrinter()) {
            json.writeStartObject();
            json.writeStringField("kind", event.kind().name().toLowerCase(java.util.Locale.ROOT));
            json.writeObjectFieldStart("unit");
            json.writeStringField("namespace", event.unit().namespace());
            json.writeStringField("deployment", event.unit().deployment());
            json.writeStringField("variant", event.unit().variant());
            json.writeStringField("model", event.unit().model());
            json.writeEndObject();
            json.writeStringField("requestId", event.requestId());
            json.writeStringField("eventTime", Instant.ofEpochMilli(event.eventTime()).toString());
            if (event.error() != null) {
                json.writeStringField("error", event.error());
            }
            json.writeArrayFieldStart("rows");
            final RowBatch rows = event.rows();
            for (int row = 0; rows != null && row < rows.rows(); row++) {
                json.writeStartObject();
                json.writeNumberField("rowIndex", row);
                json.writeObjectFieldStart(event.kind() == io.monitml.ingest.EventKind.REQUEST ? "features" : "predictions");
                for (int column = 0; column < rows.columns(); column++) {
                    final String text = rows.string(row, column);
                    final double number = rows.value(row, column);
                    if (text != null) {
                        json.writeStringField(rows.name(column), text);
                    } else if (Double.isNaN(number)) {
                        json.writeNullField(rows.name(column));
                    } else {
                        json.writeNumberField(rows.name(column), number);
                    }
                }
                json.writeEndObject();
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        out.println();
        out.flush();
    }
}
