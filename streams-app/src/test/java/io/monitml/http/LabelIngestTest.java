package io.monitml.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.monitml.ingest.Label;
import io.monitml.ingest.LabelJson;

/** {@code POST /api/v1/labels} on the real port: JSON lines to the labels topic, with ingest's token, limits and answers. */
class LabelIngestTest {

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    private static final String LABELS = "monitml.labels";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final RecordingListener listener = new RecordingListener();
    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    private HttpApi server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void serve(final String token, final int maxBody) {
        final CloudEventIngest ingest = new CloudEventIngest(producer, "monitml.raw", CloudEventIngest.Settings.defaults()
            .withMaxBodyBytes(maxBody).withToken(token).withSendTimeout(Duration.ofSeconds(5)), listener, Clock.fixed(NOW, ZoneOffset.UTC));
        server = TestPorts.serve(ingest, ingest.forLabels(LABELS));
    }

    private HttpResponse<String> post(final String body, final String... headers) throws IOException, InterruptedException {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/v1/labels"))
            .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void writesEachLineToTheLabelsTopicKeyedByItsRequestIdWithItsTimeOrTheTimeOfReceipt() throws Exception {
        serve(null, 1 << 20);

        final HttpResponse<String> response = post("{\"requestId\":\"r1\",\"truth\":24000}\n\n"
            + "{\"requestId\":\"r2\",\"truth\":[1.5,2],\"time\":\"2026-12-07T09:59:00Z\"}\r\n");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(response.body()).get("accepted").asInt()).isEqualTo(2);
        assertThat(producer.history()).extracting(ProducerRecord::topic).containsOnly(LABELS);
        final ProducerRecord<byte[], byte[]> first = producer.history().get(0);
        assertThat(new String(first.key(), StandardCharsets.UTF_8)).isEqualTo("r1");
        assertThat(first.timestamp()).isEqualTo(NOW.toEpochMilli());
        assertThat(LabelJson.read(first.value(), "r1", 0)).isEqualTo(Label.ofNumber("r1", 24_000, NOW.toEpochMilli()));
        assertThat(LabelJson.read(producer.history().get(1).value(), "r2", 0))
            .isEqualTo(Label.ofVector("r2", new double[] {1.5, 2.0}, Instant.parse("2026-12-07T09:59:00Z").toEpochMilli()));
        assertThat(listener.accepted).containsExactly(IngestListener.LABEL_TYPE, IngestListener.LABEL_TYPE);
    }

    @Test
    void refusesTheWholeBodyNamingTheFirstLineThatIsNotALabel() throws Exception {
        serve(null, 1 << 20);

        final HttpResponse<String> response = post("{\"requestId\":\"r1\",\"truth\":1}\n{\"requestId\":\"r2\",\"truth\":null}\n");
        final HttpResponse<String> empty = post("\n  \n");

        assertThat(response.statusCode()).isEqualTo(400);
        final JsonNode error = JSON.readTree(response.body());
        assertThat(error.get("message").asText()).contains("line 2", "bad-truth");
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(empty.body()).get("message").asText()).contains("no label");
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void asksForTheIngestTokenAndKeepsTheBodyLimit() throws Exception {
        serve("secret", 64);

        assertThat(post("{\"requestId\":\"r1\",\"truth\":1}").statusCode()).isEqualTo(401);
        assertThat(post("{\"requestId\":\"r1\",\"truth\":1}", "Authorization", "Bearer secret").statusCode()).isEqualTo(202);
        final HttpResponse<String> tooLarge = post("{\"requestId\":\"r1\",\"truth\":1}\n".repeat(4), "Authorization", "Bearer secret");
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(producer.history()).hasSize(1);
    }

    @Test
    void answersOtherMethodsWith405() throws Exception {
        serve(null, 1 << 20);

        final HttpResponse<String> get = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/v1/labels"))
            .GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
        assertThat(JSON.readTree(get.body()).get("message").asText()).contains("labels as JSON lines");
    }
}
