package io.monitml.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
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
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CloudEventIngestTest {

    private static final String TOPIC = "monitml.raw";
    private static final String REQUEST = "io.seldon.serving.inference.request";
    private static final String RESPONSE = "io.seldon.serving.inference.response";
    private static final String REQUEST_ID = "33fb419e-8d6b-44e0-a084-8bd4bd4dbf7b";
    private static final String SELDON_TIME = "2020-11-06T09:35:09.171644169Z";
    private static final String SELDON_BODY = "{\"data\": {\"ndarray\":[[1.0, 2.0, 5.0]]}}";
    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05.678Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final RecordingListener listener = new RecordingListener();
    private HttpApi server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void writesSeldonsBinaryModeRequestAsOneRecordInTheKafkaLayout() throws Exception {
        final MockProducer<byte[], byte[]> producer = producer(true);
        serve(ingest(producer));

        final HttpResponse<String> response = post("/", seldonHeaders(REQUEST), SELDON_BODY);

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(json(response).get("accepted").asInt()).isEqualTo(1);
        assertThat(producer.history()).hasSize(1);
        final ProducerRecord<byte[], byte[]> record = producer.history().get(0);
        assertThat(record.topic()).isEqualTo(TOPIC);
        assertThat(record.partition()).isNull();
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(REQUEST_ID);
        assertThat(record.timestamp()).as("the time of receipt; the event time stays in ce_time").isEqualTo(NOW.toEpochMilli());
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo(SELDON_BODY);
        assertThat(headers(record)).containsExactly(
            Map.entry("ce_type", REQUEST),
            Map.entry("ce_time", SELDON_TIME),
            Map.entry("ce_requestid", REQUEST_ID),
            Map.entry("ce_modelid", "classifier"),
            Map.entry("ce_inferenceservicename", "model-logs"),
            Map.entry("ce_namespace", "seldon"),
            Map.entry("ce_endpoint", "logging"),
            Map.entry("content-type", "application/json"));
        assertThat(listener.accepted).containsExactly(REQUEST);
        assertThat(listener.rejected).isEmpty();
    }

    @Test
    void acceptsTheSameOnIngestPathWithEveryAttributeAndAnyHeaderCase() throws Exception {
        final MockProducer<byte[], byte[]> producer = producer(true);
        serve(ingest(producer));

        final HttpResponse<String> response = post("/ingest", List.of(
            "CE-SPECVERSION", "1.0",
            "Ce-Id", "a9f6b0e2-6e0c-4b8e-9d36-0c2c6a5d1f00",
            "cE-tYpE", RESPONSE,
            "Ce-Source", "http://model-logs-logging.seldon:8000/",
            "CE-TIME", SELDON_TIME,
            "Ce-RequestId", REQUEST_ID,
            "ce-MODELID", "classifier",
            "Ce-Inferenceservicename", "model-logs",
            "Ce-Namespace", "seldon",
            "Ce-Endpoint", "logging",
            "Ce-Protocol", "seldon",
            "Ce-Traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            "Content-Type", "application/json"), "{\"data\":{\"ndarray\":[[0.9]]}}");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(headers(producer.history().get(0))).containsExactly(
            Map.entry("ce_specversion", "1.0"),
            Map.entry("ce_id", "a9f6b0e2-6e0c-4b8e-9d36-0c2c6a5d1f00"),
            Map.entry("ce_type", RESPONSE),
            Map.entry("ce_source", "http://model-logs-logging.seldon:8000/"),
            Map.entry("ce_time", SELDON_TIME),
            Map.entry("ce_requestid", REQUEST_ID),
            Map.entry("ce_modelid", "classifier"),
            Map.entry("ce_inferenceservicename", "model-logs"),
            Map.entry("ce_namespace", "seldon"),
            Map.entry("ce_endpoint", "logging"),
            Map.entry("ce_protocol", "seldon"),
            Map.entry("ce_traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
            Map.entry("content-type", "application/json"));
    }

    @Test
    void timestampsEveryEventWithTheTimeOfReceiptAndKeepsItsOwnTimeAsSent() throws Exception {
        final MockProducer<byte[], byte[]> producer = producer(true);
        serve(ingest(producer));

        final List<String> headers = new ArrayList<>(seldonHeaders(REQUEST));
        final int time = headers.indexOf("ce-time");
        headers.set(time + 1, "yesterday");
        assertThat(post("/", headers, SELDON_BODY).statusCode()).isEqualTo(202);
        headers.set(time + 1, "2999-01-01T00:00:00Z");
        assertThat(post("/", headers, SELDON_BODY).statusCode()).isEqualTo(202);

        assertThat(producer.history()).extracting(ProducerRecord::timestamp).containsExactly(NOW.toEpochMilli(), NOW.toEpochMilli());
        assertThat(headers(producer.history().get(0))).contains(Map.entry("ce_time", "yesterday"));
        assertThat(headers(producer.history().get(1))).contains(Map.entry("ce_time", "2999-01-01T00:00:00Z"));
    }

    @Test
    void writesAStructuredEventWithItsDataAsSentAndItsAttributesAsHeaders() throws Exception {
        final MockProducer<byte[], byte[]> producer = producer(true);
        serve(ingest(producer));

        final String event = "{\"specversion\":\"1.0\",\"id\":\"e1\",\"type\":\"" + RESPONSE + "\","
            + "\"source\":\"http://x/\",\"time\":\"2024-05-06T07:08:09.5+02:00\",\"requestid\":\"r-1\","
            + "\"inferenceservicename\":\"housing\",\"namespace\":\"prod\",\"endpoint\":\"canary\","
            + "\"modelid\":\"regressor\",\"datacontenttype\":\"application/json\","
            + "\"data\": {\"ndarray\": [[1.50, 2e3]]}}";
        final HttpResponse<String> response = post("/ingest",
            List.of("Content-Type", "application/cloudevents+json; charset=utf-8"), event);

        assertThat(response.statusCode()).isEqualTo(202);
        final ProducerRecord<byte[], byte[]> record = producer.history().get(0);
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("{\"ndarray\": [[1.50, 2e3]]}");
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("r-1");
        assertThat(record.timestamp()).isEqualTo(NOW.toEpochMilli());
        assertThat(headers(record)).containsExactly(
            Map.entry("ce_specversion", "1.0"),
            Map.entry("ce_id", "e1"),
            Map.entry("ce_type", RESPONSE),
            Map.entry("ce_source", "http://x/"),
            Map.entry("ce_time", "2024-05-06T07:08:09.5+02:00"),
            Map.entry("ce_requestid", "r-1"),
            Map.entry("ce_modelid", "regressor"),
            Map.entry("ce_inferenceservicename", "housing"),
            Map.entry("ce_namespace", "prod"),
            Map.entry("ce_endpoint", "canary"),
            Map.entry("content-type", "application/json"));
    }

    @Test
    void decodesDataBase64OfAStructuredEvent() throws Exception {
        final MockProducer<byte[], byte[]> producer = producer(true);
        serve(ingest(producer));
        final byte[] protobuf = {0x0a, 0x03, 0x01, (byte) 0xff, 0x00};

        final HttpResponse<String> response = post("/", List.of("Content-Type", "application/cloudevents+json"),
            "{\"type\":\"" + REQUEST + "\",\"requestid\":\"r-2\",\"datacontenttype\":\"application/protobuf\","
                + "\"data_base64\":\"" + java.util.Base64.getEncoder().encodeToString(protobuf) + "\"}");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(producer.history().get(0).value()).isEqualTo(protobuf);
        assertThat(headers(producer.history().get(0))).containsExactly(
            Map.entry("ce_type", REQUEST),
            Map.entry("ce_requestid", "r-2"),
            Map.entry("content-type", "application/protobuf"));
    }

    @Test
    void writesEveryEventOfABatch() throws Exception {
        final MockProducer<byte[], byte[]> producer = producer(true);
        serve(ingest(producer));

        final HttpResponse<String> response = post("/ingest",
            List.of("Content-Type", "application/cloudevents-batch+json"),
            "[" + structured(REQUEST, "r-1", "[[1]]") + "," + structured(RESPONSE, "r-1", "[[2]]") + ","
                + structured(REQUEST, "r-2", "[[3]]") + "]");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(json(response).get("accepted").asInt()).isEqualTo(3);
        assertThat(producer.history()).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
            .containsExactly("{\"ndarray\":[[1]]}", "{\"ndarray\":[[2]]}", "{\"ndarray\":[[3]]}");
        assertThat(producer.history()).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
            .containsExactly("r-1", "r-1", "r-2");
        assertThat(listener.accepted).containsExactly(REQUEST, RESPONSE, REQUEST);
    }

    @Test
    void rejectsAWholeBatchWhenOneEventIsInvalidNamingItsIndex() throws Exception {
        final MockProducer<byte[], byte[]> producer = producer(true);
        serve(ingest(producer));

        final HttpResponse<String> response = post("/ingest",
            List.of("Content-Type", "application/cloudevents-batch+json"),
            "[" + structured(REQUEST, "r-1", "[[1]]") + "," + structured(RESPONSE, null, "[[2]]") + "]");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("message").asText()).isEqualTo(
            "event 1: missing requestid attribute (a " + RESPONSE + " event needs one to be paired)");
        assertThat(producer.history()).isEmpty();
        assertThat(listener.rejected).containsExactly(IngestListener.Reason.MISSING_REQUEST_ID);
        assertThat(listener.accepted).isEmpty();
    }

    @Test
    void countsButDoesNotWriteEventsThatAreNotInferences() throws Exception {
        final MockProducer<byte[], byte[]> producer = producer(true);
        serve(ingest(producer));

        final HttpResponse<String> feedback = post("/", List.of(
            "Ce-Type", "io.seldon.serving.feedback", "Ce-Id", "f-1", "Content-Type", "application/json"),
            "{\"reward\": 1.0}");
        final HttpResponse<String> mixed = post("/ingest", List.of("Content-Type", "application/cloudevents-batch+json"),
            "[" + structured(REQUEST, "r-1", "[[1]]") + ",{\"type\":\"org.kubeflow.serving.drift\",\"data\":{}}]");

        assertThat(feedback.statusCode()).isEqualTo(202);
        assertThat(json(feedback).get("accepted").asInt()).isZero();
        assertThat(json(feedback).get("ignored").asInt()).isEqualTo(1);
        assertThat(mixed.statusCode()).isEqualTo(202);
        assertThat(producer.history()).hasSize(1);
        assertThat(listener.ignored).containsExactly("io.seldon.serving.feedback", "org.kubeflow.serving.drift");
        assertThat(listener.accepted).containsExactly(REQUEST);
    }

    @Test
    void rejectsAnEventWithoutType() throws Exception {
        final MockProducer<byte[], byte[]> producer = producer(true);
        serve(ingest(producer));

        final HttpResponse<String> response = post("/", List.of(
            "Ce-Requestid", REQUEST_ID, "Content-Type", "application/json"), SELDON_BODY);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(json(response).get("error").asText()).isEqualTo("bad request");
        assertThat(json(response).get("message").asText()).isEqualTo("missing Ce-Type header");
        assertThat(producer.history()).isEmpty();
        assertThat(listener.rejected).containsExactly(IngestListener.Reason.MISSING_TYPE);
    }

    @Test
    void rejectsAnInferenceEventWithoutRequestId() throws Exception {
        final MockProducer<byte[], byte[]> producer = producer(true);
        serve(ingest(producer));

        final HttpResponse<String> response = post("/", List.of(
            "Ce-Type", REQUEST, "Content-Type", "application/json"), SELDON_BODY);
        final HttpResponse<String> structured = post("/", List.of("Content-Type", "application/cloudevents+json"),
            structured(RESPONSE, null, "[[1]]"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("message").asText()).startsWith("missing Ce-Requestid header");
        assertThat(structured.statusCode()).isEqualTo(400);
        assertThat(json(structured).get("message").asText()).startsWith("missing requestid attribute");
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void refusesIdentitiesThatCannotNameAUnitAtTheEdge() throws Exception {
        final MockProducer<byte[], byte[]> producer = producer(true);
        serve(ingest(producer));

        final List<String> slash = new ArrayList<>(seldonHeaders(REQUEST));
        slash.set(slash.indexOf("ce-namespace") + 1, "a/b");
        final List<String> control = new ArrayList<>(seldonHeaders(REQUEST));
        control.set(control.indexOf("ce-endpoint") + 1, "canary%0Aevil");
        final List<String> long_ = new ArrayList<>(seldonHeaders(REQUEST));
        long_.set(long_.indexOf("ce-modelid") + 1, "m".repeat(254));

        final HttpResponse<String> slashed = post("/", slash, SELDON_BODY);
        final HttpResponse<String> controlled = post("/", control, SELDON_BODY);
        final HttpResponse<String> tooLong = post("/", long_, SELDON_BODY);
        final HttpResponse<String> inBatch = post("/", List.of("Content-Type", "application/cloudevents-batch+json"),
            "[" + structured(REQUEST, "r-1", "[[1]]") + "," + structured(REQUEST, "r-2", "[[1]]").replace("\"model-logs\"", "\"x/y\"") + "]");

        assertThat(List.of(slashed, controlled, tooLong, inBatch)).extracting(HttpResponse::statusCode).containsOnly(400);
        assertThat(json(slashed).get("message").asText()).isEqualTo("Ce-Namespace header: The unit's namespace \"a/b\" contains '/';"
            + " a unit's namespace, deployment, variant and model cannot");
        assertThat(json(controlled).get("message").asText()).contains("variant").contains("U+000A");
        assertThat(json(tooLong).get("message").asText()).contains("model is 254 characters long; at most 253");
        assertThat(json(inBatch).get("message").asText()).startsWith("event 1: inferenceservicename attribute: The unit's deployment");
        assertThat(producer.history()).as("nothing of a refused request is written").isEmpty();
        assertThat(listener.rejected).containsOnly(IngestListener.Reason.BAD_IDENTITY).hasSize(4);
    }

    @Test
    void rejectsMalformedJsonWithTheParsersMessage() throws Exception {
        final MockProducer<byte[], byte[]> producer = producer(true);
        serve(ingest(producer));

        final HttpResponse<String> broken = post("/", List.of("Content-Type", "application/cloudevents+json"),
            "{\"type\": \"" + REQUEST + "\", \"requestid\": ");
        final HttpResponse<String> notArray = post("/", List.of("Content-Type", "application/cloudevents-batch+json"),
            structured(REQUEST, "r", "[[1]]"));

        assertThat(broken.statusCode()).isEqualTo(400);
        assertThat(json(broken).get("message").asText()).contains("end-of-input").contains("line 1");
        assertThat(notArray.statusCode()).isEqualTo(400);
        assertThat(json(notArray).get("message").asText()).contains("JSON array");
        assertThat(producer.history()).isEmpty();
        assertThat(listener.rejected).containsOnly(IngestListener.Reason.MALFORMED);
    }

    @Test
    void refusesADeclaredBodyOverTheLimitAndAcceptsOneAtIt() throws Exception {
        final MockProducer<byte[], byte[]> producer = producer(true);
        serve(ingest(producer, 1024, Duration.ofSeconds(5)));

        final HttpResponse<String> over = post("/", seldonHeaders(REQUEST), "x".repeat(1025));
        final HttpResponse<String> at = post("/", seldonHeaders(REQUEST), "x".repeat(1024));

        assertThat(over.statusCode()).isEqualTo(413);
        assertThat(json(over).get("error").asText()).isEqualTo("payload too large");
        assertThat(json(over).get("message").asText()).contains("1024 bytes");
        assertThat(at.statusCode()).isEqualTo(202);
        assertThat(producer.history()).hasSize(1);
    }

    @Test
    void refusesAChunkedBodyOverTheLimitWhileReadingIt() throws Exception {
        final MockProducer<byte[], byte[]> producer = producer(true);
        serve(ingest(producer, 1024, Duration.ofSeconds(5)));
        final byte[] body = new byte[4096];
        Arrays.fill(body, (byte) 'x');

        final HttpRequest.Builder request = request("/", seldonHeaders(REQUEST))
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
        final HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(producer.history()).isEmpty();
        assertThat(listener.rejected).containsExactly(IngestListener.Reason.TOO_LARGE);
    }

    /**
     * Python's urllib and many other clients write the whole body before they read: a server that
     * answered and closed while the body was still coming reset the connection, and the client saw
     * a broken pipe instead of the 413 (so it did here, with the default limit of 8 MiB, before the
     * body was drained). A body up to twice the limit is read and thrown away first, declared or chunked.
     */
    @Test
    void answers413ToAClientThatWritesItsWholeOverLimitBodyBeforeItReads() throws Exception {
        final MockProducer<byte[], byte[]> producer = producer(true);
        final int limit = 8 << 20;
        serve(ingest(producer, limit, Duration.ofSeconds(5)));
        final byte[] body = new byte[limit + limit / 2];
        Arrays.fill(body, (byte) 'x');
        final StringBuilder headers = new StringBuilder("POST / HTTP/1.1\r\nHost: x\r\n");
        final List<String> seldon = seldonHeaders(REQUEST);
        for (int i = 0; i < seldon.size(); i += 2) {
            headers.append(seldon.get(i)).append(": ").append(seldon.get(i + 1)).append("\r\n");
        }

        for (boolean chunked : List.of(false, true)) {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
                socket.setSoTimeout(10_000);
                final java.io.OutputStream out = socket.getOutputStream();
                out.write((headers + (chunked ? "Transfer-Encoding: chunked\r\n\r\n" : "Content-Length: " + body.length + "\r\n\r\n"))
                    .getBytes(StandardCharsets.ISO_8859_1));
                if (chunked) {
                    for (int offset = 0; offset < body.length; offset += 64 * 1024) {
                        final int length = Math.min(64 * 1024, body.length - offset);
                        out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        out.write(body, offset, length);
                        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                } else {
                    out.write(body);
                }
                out.flush();

                final String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertThat(answer).as("chunked: %s", chunked).startsWith("HTTP/1.1 413").contains("payload too large")
                    .contains(limit + " bytes");
            }
        }
        assertThat(producer.history()).isEmpty();
        assertThat(listener.rejected).containsExactly(IngestListener.Reason.TOO_LARGE, IngestListener.Reason.TOO_LARGE);
    }

    @Test
    void answersOtherMethodsWith405AndUnknownPathsWith404() throws Exception {
        serve(ingest(producer(true)));

        final HttpResponse<String> get = client.send(request("/ingest", List.of()).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        final HttpResponse<String> put = client.send(request("/", List.of("Ce-Type", REQUEST))
            .PUT(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        final HttpResponse<String> below = post("/ingest/more", seldonHeaders(REQUEST), SELDON_BODY);
        final HttpResponse<String> other = post("/elsewhere", seldonHeaders(REQUEST), SELDON_BODY);

        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
        assertThat(json(get).get("error").asText()).isEqualTo("method not allowed");
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(below.statusCode()).isEqualTo(404);
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(json(other).get("message").asText()).contains("/elsewhere");
    }

    // Found by CloudEventIngestFuzzTest on the JDK server: a wrong method or path with a body past the
    // 64 KiB it drained itself reset the connection. Jetty answers such a request without reading its
    // body (no draining of a body nobody will use) and closes the connection after the answer.
    @Test
    void answersAWrongMethodOrPathWithALargeBodyUnreadAndClosesTheConnection() throws Exception {
        serve(ingest(producer(true)));

        for (String requestLine : List.of("PUT /ingest", "HEAD /ingest", "POST /ingest/more", "GET /metrics")) {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
                socket.setSoTimeout(10_000);
                final long started = System.nanoTime();
                socket.getOutputStream().write((requestLine + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + (256 * 1024 * 1024) + "\r\n\r\n{\"data\":").getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();

                final String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                final long millis = (System.nanoTime() - started) / 1_000_000;

                assertThat(answer).as(requestLine).startsWith(requestLine.startsWith("POST") ? "HTTP/1.1 404"
                    : requestLine.startsWith("GET") ? "HTTP/1.1 413" : "HTTP/1.1 405");
                assertThat(answer).as(requestLine).containsIgnoringCase("Connection: close");
                assertThat(millis).as("answered unread and closed at once").isLessThan(2_000);
            }
        }
    }

    @Test
    void answers202OnlyAfterTheBrokerAcknowledged() throws Exception {
        final MockProducer<byte[], byte[]> producer = producer(false);
        serve(ingest(producer));

        final CompletableFuture<HttpResponse<String>> response = client.sendAsync(
            request("/", seldonHeaders(REQUEST)).POST(HttpRequest.BodyPublishers.ofString(SELDON_BODY)).build(),
            HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == 1);

        assertThatThrownBy(() -> response.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        assertThat(listener.accepted).isEmpty();
        assertThat(producer.completeNext()).isTrue();
        assertThat(response.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
        assertThat(listener.accepted).containsExactly(REQUEST);
    }

    @Test
    void answers503WithWhatWasWrittenWhenASendOfTheBatchFails() throws Exception {
        final MockProducer<byte[], byte[]> producer = producer(false);
        serve(ingest(producer));

        final CompletableFuture<HttpResponse<String>> response = client.sendAsync(
            request("/", List.of("Content-Type", "application/cloudevents-batch+json"))
                .POST(HttpRequest.BodyPublishers.ofString("[" + structured(REQUEST, "r-1", "[[1]]") + ","
                    + structured(RESPONSE, "r-1", "[[2]]") + "," + structured(RESPONSE, "r-2", "[[3]]") + "]")).build(),
            HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == 3);
        producer.completeNext();
        producer.errorNext(new KafkaException("broker down"));
        assertThatThrownBy(() -> response.get(300, TimeUnit.MILLISECONDS)).as("the last record is not reported on yet")
            .isInstanceOf(TimeoutException.class);
        producer.completeNext();

        final HttpResponse<String> answer = response.get(5, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(503);
        final JsonNode body = json(answer);
        assertThat(body.get("error").asText()).isEqualTo("service unavailable");
        assertThat(body.get("message").asText()).startsWith("2 of 3 events were written to Kafka, 1 could not be; retry the request")
            .doesNotContain("broker down");
        assertThat(List.of(body.get("events").asInt(), body.get("written").asInt(), body.get("failed").asInt(),
            body.get("unacknowledged").asInt())).containsExactly(3, 2, 1, 0);
        assertThat(listener.accepted).as("the events Kafka acknowledged").containsExactly(REQUEST, RESPONSE);
        assertThat(listener.rejected).containsExactly(IngestListener.Reason.KAFKA_UNAVAILABLE);
    }

    @Test
    void answers503WhenTheBrokerDoesNotAcknowledgeInTimeSayingThatTheEventMayStillBeWritten() throws Exception {
        final MockProducer<byte[], byte[]> producer = producer(false);
        serve(ingest(producer, CloudEventIngest.DEFAULT_MAX_BODY_BYTES, Duration.ofMillis(200)));

        final HttpResponse<String> response = post("/", seldonHeaders(REQUEST), SELDON_BODY);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(json(response).get("message").asText())
            .startsWith("Kafka did not acknowledge the event within 200 ms; it may still be written; retry the request");
        assertThat(json(response).get("unacknowledged").asInt()).isEqualTo(1);
    }

    @Test
    void answers413WhenKafkaRefusesTheRecordAsTooLarge() throws Exception {
        final MockProducer<byte[], byte[]> producer = producer(false);
        serve(ingest(producer));

        final CompletableFuture<HttpResponse<String>> response = client.sendAsync(
            request("/", seldonHeaders(REQUEST)).POST(HttpRequest.BodyPublishers.ofString(SELDON_BODY)).build(),
            HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == 1);
        producer.errorNext(new RecordTooLargeException("record of 1048700 bytes is over max.request.size"));

        final HttpResponse<String> answer = response.get(5, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(413);
        assertThat(json(answer).get("message").asText()).startsWith("an event is larger than Kafka accepts")
            .endsWith("the event could not be written to Kafka");
    }

    private static List<String> seldonHeaders(final String type) {
        return List.of(
            "ce-type", type,
            "ce-requestid", REQUEST_ID,
            "ce-inferenceservicename", "model-logs",
            "ce-endpoint", "logging",
            "ce-modelid", "classifier",
            "ce-namespace", "seldon",
            "ce-time", SELDON_TIME,
            "content-type", "application/json");
    }

    private static String structured(final String type, final String requestId, final String ndarray) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + type + requestId + "\",\"type\":\"" + type + "\","
            + "\"source\":\"http://test/\"" + (requestId == null ? "" : ",\"requestid\":\"" + requestId + "\"")
            + ",\"inferenceservicename\":\"model-logs\",\"data\":{\"ndarray\":" + ndarray + "}}";
    }

    private static MockProducer<byte[], byte[]> producer(final boolean autoComplete) {
        return new MockProducer<>(autoComplete, null, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private CloudEventIngest ingest(final MockProducer<byte[], byte[]> producer) {
        return ingest(producer, CloudEventIngest.DEFAULT_MAX_BODY_BYTES, Duration.ofSeconds(5));
    }

    private CloudEventIngest ingest(final MockProducer<byte[], byte[]> producer, final int limit, final Duration timeout) {
        return new CloudEventIngest(producer, TOPIC, CloudEventIngest.Settings.defaults().withMaxBodyBytes(limit).withSendTimeout(timeout),
            listener, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private void serve(final CloudEventIngest ingest) {
        server = TestPorts.serve(ingest);
    }

    private HttpResponse<String> post(final String path, final List<String> headers, final String body)
        throws IOException, InterruptedException {
        return client.send(request(path, headers).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(final String path, final List<String> headers) {
        final HttpRequest.Builder builder = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.port() + path)).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.size(); i += 2) {
            builder.header(headers.get(i), headers.get(i + 1));
        }
        return builder;
    }

    private static JsonNode json(final HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    private static List<Map.Entry<String, String>> headers(final ProducerRecord<byte[], byte[]> record) {
        final List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (Header header : record.headers()) {
            headers.add(new AbstractMap.SimpleImmutableEntry<>(header.key(), new String(header.value(), StandardCharsets.UTF_8)));
        }
        return headers;
    }
}
