package io.monitml.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.DoubleStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CanaryTrafficGeneratorTest {

    private static final Instant START = Instant.parse("2026-03-01T12:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static BostonHousing data;
    private static LinearModel model;

    private MutableClock clock;
    private CollectingSink sink;

    @BeforeAll
    static void fitModel() {
        data = BostonHousing.load();
        model = LinearModel.fit(data);
    }

    @BeforeEach
    void freshClockAndSink() {
        clock = new MutableClock(START);
        sink = new CollectingSink();
    }

    private CanaryTrafficGenerator generator(TrafficConfig config) {
        return new CanaryTrafficGenerator(config, data, model, sink, clock);
    }

    private List<GeneratedRequest> requests(CanaryTrafficGenerator generator, int count) {
        List<GeneratedRequest> requests = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            requests.add(generator.nextRequest());
        }
        return requests;
    }

    @Test
    void aQuarterOfRequestsGoToTheCanary() {
        int n = 20_000;
        long canary = requests(generator(TrafficConfig.defaults()), n).stream()
                .filter(r -> r.endpoint().equals("v2"))
                .count();

        // Five binomial standard deviations: a correct router fails this about once in 1.7 million.
        double sd = Math.sqrt(n * 0.25 * 0.75);
        assertThat((double) canary).isCloseTo(n * 0.25, within(5 * sd));
        assertThat(sink.events).hasSize(2 * n);
    }

    @Test
    void everyRequestGoesToOneOfTheTwoVariants() {
        assertThat(requests(generator(TrafficConfig.defaults()), 2_000))
                .extracting(GeneratedRequest::endpoint)
                .containsOnly("v1", "v2");
    }

    @Test
    void canaryAlwaysAnswersExactlyOneHundred() {
        List<GeneratedRequest> canary = requests(generator(TrafficConfig.defaults()), 5_000).stream()
                .filter(r -> r.endpoint().equals("v2"))
                .toList();

        assertThat(canary).isNotEmpty();
        assertThat(canary).allSatisfy(r -> assertThat(r.predictions()).containsOnly(100.0));
    }

    @Test
    void stableVariantPredictsTheLinearModelInDollarsOnTheNoisyRow() {
        List<GeneratedRequest> stable = requests(generator(TrafficConfig.defaults()), 5_000).stream()
                .filter(r -> r.endpoint().equals("v1"))
                .toList();

        List<Double> predictions = new ArrayList<>();
        for (GeneratedRequest request : stable) {
            for (int i = 0; i < request.rows().length; i++) {
                assertThat(request.predictions()[i]).isEqualTo(1000 * model.predict(request.rows()[i]));
                predictions.add(request.predictions()[i]);
            }
        }
        // The fitted model ranges from about -4,000 to 45,000 dollars on the data itself.
        assertThat(predictions).isNotEmpty().allSatisfy(p -> assertThat(p).isBetween(-15_000.0, 60_000.0));
        double mean = predictions.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertThat(mean).isBetween(20_000.0, 25_000.0);
    }

    @Test
    void requestAndResponseShareTheRequestIdAndHaveDistinctIds() {
        List<GeneratedRequest> requests = requests(generator(TrafficConfig.defaults()), 1_000);

        Set<String> ids = new HashSet<>();
        Set<String> requestIds = new HashSet<>();
        for (GeneratedRequest r : requests) {
            assertThat(r.request().requestId()).isEqualTo(r.requestId());
            assertThat(r.response().requestId()).isEqualTo(r.requestId());
            ids.add(r.request().id());
            ids.add(r.response().id());
            requestIds.add(r.requestId());
        }
        assertThat(ids).hasSize(2 * requests.size());
        assertThat(requestIds).hasSize(requests.size()).doesNotContainAnyElementsOf(ids);
    }

    @Test
    void sinkReceivesTheRequestThenItsResponse() {
        GeneratedRequest r = generator(TrafficConfig.defaults()).nextRequest();

        assertThat(sink.events).containsExactly(r.request(), r.response());
        assertThat(r.request().isRequest()).isTrue();
        assertThat(r.response().isResponse()).isTrue();
    }

    @Test
    void eventsCarryTheExecutorsAttributes() {
        GeneratedRequest r = generator(TrafficConfig.defaults()).nextRequest();

        for (SeldonEvent event : List.of(r.request(), r.response())) {
            assertThat(event.namespace()).isEqualTo("seldon");
            assertThat(event.inferenceServiceName()).isEqualTo("housing");
            assertThat(event.endpoint()).isEqualTo(r.endpoint());
            assertThat(event.modelId()).isEqualTo("classifier");
            assertThat(event.contentType()).isEqualTo("application/json");
        }
        assertThat(r.request().time()).isEqualTo(START);
        assertThat(r.response().time()).isAfterOrEqualTo(START);
        assertThat(r.request().type()).isEqualTo("io.seldon.serving.inference.request");
        assertThat(r.response().type()).isEqualTo("io.seldon.serving.inference.response");
    }

    @Test
    void theBrokenCanaryAnswersAboutTenTimesFasterThanTheStableModel() {
        CanaryTrafficGenerator generator = generator(TrafficConfig.defaults());
        List<Long> stable = new ArrayList<>();
        List<Long> canary = new ArrayList<>();
        for (int i = 0; i < 4_000; i++) {
            GeneratedRequest r = generator.nextRequest();
            long latency = Duration.between(r.request().time(), r.response().time()).toMillis();
            (r.endpoint().equals(TrafficConfig.defaults().canaryVariant()) ? canary : stable).add(latency);
        }

        assertThat(median(stable)).isBetween(17L, 23L);
        assertThat(median(canary)).isBetween(1L, 3L);
        assertThat(stable).allSatisfy(latency -> assertThat(latency).isNotNegative());
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    @Test
    void requestBodyIsASeldonMessageOfTheRows() throws IOException {
        for (GeneratedRequest r : requests(generator(TrafficConfig.defaults()), 500)) {
            JsonNode body = JSON.readTree(r.request().body());

            assertThat(fieldNames(body)).containsExactly("data");
            assertThat(fieldNames(body.get("data"))).containsExactly("names", "ndarray");
            assertThat(body.at("/data/names").isArray()).isTrue();
            List<String> names = new ArrayList<>();
            body.at("/data/names").forEach(name -> names.add(name.textValue()));
            assertThat(names).isEqualTo(data.featureNames());
            JsonNode ndarray = body.at("/data/ndarray");
            assertThat(ndarray.size()).isEqualTo(r.rows().length);
            for (int i = 0; i < r.rows().length; i++) {
                assertThat(numbers(ndarray.get(i))).containsExactly(r.rows()[i]);
            }
        }
    }

    @Test
    void responseBodyIsASeldonMessageOfThePredictions() throws IOException {
        for (GeneratedRequest r : requests(generator(TrafficConfig.defaults()), 500)) {
            JsonNode body = JSON.readTree(r.response().body());

            assertThat(fieldNames(body)).containsExactly("data", "meta");
            assertThat(body.get("meta").isObject()).isTrue();
            assertThat(body.get("meta").isEmpty()).isTrue();
            assertThat(body.at("/data/names").toString()).isEqualTo("[\"price\"]");
            JsonNode ndarray = body.at("/data/ndarray");
            assertThat(ndarray.size()).isEqualTo(r.predictions().length);
            for (int i = 0; i < r.predictions().length; i++) {
                assertThat(numbers(ndarray.get(i))).containsExactly(r.predictions()[i]);
            }
        }
    }

    @Test
    void canaryResponseIsExactlyTheExecutorsJson() {
        GeneratedRequest r = generator(TrafficConfig.defaults().withCanaryShare(1).withBatchShare(0))
                .nextRequest();

        assertThat(r.response().bodyText())
                .isEqualTo("{\"data\":{\"names\":[\"price\"],\"ndarray\":[[100.0]]},\"meta\":{}}");
    }

    @Test
    void requestsAreMostlySingleRowsWithOccasionalBatchesOfTwoOrThree() {
        List<GeneratedRequest> requests = requests(generator(TrafficConfig.defaults()), 10_000);

        assertThat(requests).allSatisfy(r -> assertThat(r.rows().length).isBetween(1, 3));
        long batches = requests.stream().filter(r -> r.rows().length > 1).count();
        assertThat(batches / 10_000.0).isCloseTo(0.05, within(0.015));
        assertThat(requests).allSatisfy(r ->
                assertThat(r.predictions()).hasSameSizeAs(r.rows()));
    }

    @Test
    void noiseKeepsFeaturesNonNegativeAndChasBinaryBeforeAndAfterDrift() {
        CanaryTrafficGenerator generator = generator(TrafficConfig.defaults());
        List<GeneratedRequest> requests = new ArrayList<>(requests(generator, 5_000));
        clock.advance(Duration.ofMinutes(2));
        requests.addAll(requests(generator, 5_000));

        int chas = data.featureIndex("chas");
        List<double[]> rows = requests.stream().flatMap(r -> List.of(r.rows()).stream()).toList();
        assertThat(rows).allSatisfy(row -> {
            assertThat(DoubleStream.of(row).min().orElseThrow()).isNotNegative();
            assertThat(row[chas]).isIn(0.0, 1.0);
        });
        assertThat(rows).anySatisfy(row -> assertThat(row[chas]).isEqualTo(1.0));
    }

    @Test
    void noiseIsSmall() {
        int rm = data.featureIndex("rm");
        double[] noisy = column(requests(generator(TrafficConfig.defaults()), 5_000), rm);

        assertThat(noisy).doesNotHaveDuplicates();
        assertThat(DoubleStream.of(noisy).min().orElseThrow()).isGreaterThan(3.0);
        assertThat(DoubleStream.of(noisy).max().orElseThrow()).isLessThan(9.5);
    }

    @Test
    void discreteColumnsKeepTheValuesOfTheDataSoThatTheyDoNotLookDrifted() {
        final List<GeneratedRequest> requests = requests(generator(TrafficConfig.defaults()), 2_000);
        for (String name : List.of("rad", "tax", "ptratio", "zn")) {
            final int feature = data.featureIndex(name);
            final java.util.Set<Double> known = java.util.Arrays.stream(data.features()).map(row -> row[feature])
                .collect(java.util.stream.Collectors.toSet());
            assertThat(DoubleStream.of(column(requests, feature)).boxed().toList()).as(name).allMatch(known::contains);
        }
    }

    @Test
    void driftShiftsRmAndLstatOnlyAfterDriftAfter() {
        CanaryTrafficGenerator generator = generator(TrafficConfig.defaults());
        int rm = data.featureIndex("rm");
        int lstat = data.featureIndex("lstat");
        double dataRm = mean(data.features(), rm);
        double dataLstat = mean(data.features(), lstat);

        List<GeneratedRequest> before = requests(generator, 20_000);
        clock.advance(Duration.ofMinutes(2));
        List<GeneratedRequest> after = requests(generator, 20_000);

        assertThat(before).isNotEmpty().noneMatch(GeneratedRequest::drifted);
        assertThat(after).isNotEmpty().allMatch(GeneratedRequest::drifted);
        // rm's standard deviation is 0.70, so the mean of 20,000 draws is within 0.005 or so.
        assertThat(mean(column(before, rm))).isCloseTo(dataRm, within(0.03));
        assertThat(mean(column(after, rm))).isCloseTo(dataRm + 1.5, within(0.03));
        assertThat(mean(column(before, lstat))).isCloseTo(dataLstat, within(0.2));
        assertThat(mean(column(after, lstat))).isCloseTo(1.6 * dataLstat, within(0.3));
    }

    @Test
    void stablePredictionsMoveWithTheDriftedFeatures() {
        CanaryTrafficGenerator generator = generator(TrafficConfig.defaults().withCanaryShare(0));
        double[] coefficients = model.coefficients();
        double expectedShift = 1000 * (coefficients[data.featureIndex("rm")] * 1.5
                + coefficients[data.featureIndex("lstat")] * 0.6 * mean(data.features(),
                        data.featureIndex("lstat")));

        double before = meanPrediction(requests(generator, 20_000));
        clock.advance(Duration.ofMinutes(2));
        double after = meanPrediction(requests(generator, 20_000));

        assertThat(after - before).isCloseTo(expectedShift, within(300.0));
    }

    @Test
    void driftStartsExactlyWhenDriftAfterHasElapsed() {
        CanaryTrafficGenerator generator =
                generator(TrafficConfig.defaults().withDriftAfter(Duration.ofSeconds(30)));

        clock.advance(Duration.ofSeconds(30).minusNanos(1));
        assertThat(generator.drifting()).isFalse();
        assertThat(generator.nextRequest().drifted()).isFalse();
        clock.advance(Duration.ofNanos(1));
        assertThat(generator.drifting()).isTrue();
        assertThat(generator.nextRequest().drifted()).isTrue();
        assertThat(generator.driftStartsAt()).isEqualTo(START.plusSeconds(30));
    }

    @Test
    void sameSeedGivesTheSameTrafficApartFromIds() {
        List<GeneratedRequest> first = requests(generator(TrafficConfig.defaults()), 200);
        List<GeneratedRequest> second = requests(generator(TrafficConfig.defaults()), 200);

        for (int i = 0; i < first.size(); i++) {
            assertThat(second.get(i).endpoint()).isEqualTo(first.get(i).endpoint());
            assertThat(second.get(i).rows()).isDeepEqualTo(first.get(i).rows());
            assertThat(second.get(i).requestId()).isNotEqualTo(first.get(i).requestId());
        }
    }

    @Test
    void generateMakesTheGivenNumberOfRequests() {
        CanaryTrafficGenerator generator = generator(TrafficConfig.defaults());

        generator.generate(123);

        assertThat(generator.requestsGenerated()).isEqualTo(123);
        assertThat(sink.events).hasSize(246);
    }

    @Test
    void rejectsDriftOfUnknownOrBinaryFeatures() {
        assertThatThrownBy(() ->
                        generator(TrafficConfig.defaults().withDrift(List.of(FeatureShift.add("b", 1)))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'b'");
        assertThatThrownBy(() ->
                        generator(TrafficConfig.defaults().withDrift(List.of(FeatureShift.add("chas", 1)))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("binary");
    }

    @Test
    void runIsPacedAndStopsOnClose() throws InterruptedException {
        int requests = 100;
        CountDownLatch received = new CountDownLatch(2 * requests);
        SeldonEventSink counting = new SeldonEventSink() {
            @Override
            public void send(SeldonEvent event) {
                received.countDown();
            }

            @Override
            public void close() {}
        };
        CanaryTrafficGenerator generator = new CanaryTrafficGenerator(
                TrafficConfig.defaults().withRequestsPerSecond(2_000), data, model, counting, clock);
        Thread runner = new Thread(generator, "traffic");

        long started = System.nanoTime();
        runner.start();
        assertThat(received.await(30, TimeUnit.SECONDS)).isTrue();
        long elapsed = System.nanoTime() - started;
        generator.close();
        runner.join(TimeUnit.SECONDS.toMillis(10));

        assertThat(runner.isAlive()).isFalse();
        // At 2,000 requests/s the first 100 cannot all be due before 50 ms have passed.
        assertThat(elapsed).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(45));
    }

    @Test
    void runStopsOnInterrupt() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        SeldonEventSink signalling = new SeldonEventSink() {
            @Override
            public void send(SeldonEvent event) {
                started.countDown();
            }

            @Override
            public void close() {}
        };
        CanaryTrafficGenerator generator = new CanaryTrafficGenerator(
                TrafficConfig.defaults(), data, model, signalling, clock);
        Thread runner = new Thread(generator, "traffic");

        runner.start();
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        runner.interrupt();
        runner.join(TimeUnit.SECONDS.toMillis(10));

        assertThat(runner.isAlive()).isFalse();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static double[] numbers(JsonNode array) {
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            assertThat(array.get(i).isNumber()).as("plain JSON number").isTrue();
            values[i] = array.get(i).doubleValue();
        }
        return values;
    }

    private static double[] column(List<GeneratedRequest> requests, int feature) {
        return requests.stream()
                .flatMap(r -> List.of(r.rows()).stream())
                .mapToDouble(row -> row[feature])
                .toArray();
    }

    private static double mean(double[] values) {
        return DoubleStream.of(values).average().orElseThrow();
    }

    private static double mean(double[][] rows, int feature) {
        double sum = 0;
        for (double[] row : rows) {
            sum += row[feature];
        }
        return sum / rows.length;
    }

    private static double meanPrediction(List<GeneratedRequest> requests) {
        return requests.stream()
                .flatMapToDouble(r -> DoubleStream.of(r.predictions()))
                .average()
                .orElseThrow();
    }
}
