package io.monitml.demo;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of the demo's canary traffic.
 *
 * @param requestsPerSecond pace of {@link CanaryTrafficGenerator#run()}
 * @param canaryShare probability that a request goes to the canary variant
 * @param driftAfter time after the generator's creation from which {@code drift} applies
 * @param drift how the input distribution changes once drifting
 * @param noiseLevel standard deviation of the log of the multiplicative noise on each feature
 * @param batchShare probability that a request carries a batch of 2 or 3 rows instead of one
 * @param seed of the random choices (rows, noise, routing); ids are random regardless
 * @param namespace Kubernetes namespace of the SeldonDeployment
 * @param deployment name of the SeldonDeployment
 * @param stableVariant predictor serving the linear model
 * @param canaryVariant predictor answering a constant
 * @param modelId graph node name, the same in both predictors
 */
public record TrafficConfig(
        double requestsPerSecond,
        double canaryShare,
        Duration driftAfter,
        List<FeatureShift> drift,
        double noiseLevel,
        double batchShare,
        long seed,
        String namespace,
        String deployment,
        String stableVariant,
        String canaryVariant,
        String modelId) {

    public static final double DEFAULT_REQUESTS_PER_SECOND = 200;
    public static final double DEFAULT_CANARY_SHARE = 0.25;
    public static final Duration DEFAULT_DRIFT_AFTER = Duration.ofMinutes(2);

    /**
     * About two standard deviations of {@code rm} and a sixty per cent rise of {@code lstat}: far
     * enough for KS and PSI to flag within a few hundred requests.
     */
    public static final List<FeatureShift> DEFAULT_DRIFT =
            List.of(FeatureShift.add("rm", 1.5), FeatureShift.multiply("lstat", 1.6));

    public static final double DEFAULT_NOISE_LEVEL = 0.02;
    public static final double DEFAULT_BATCH_SHARE = 0.05;
    public static final long DEFAULT_SEED = 42;
    public static final String DEFAULT_NAMESPACE = "seldon";
    public static final String DEFAULT_DEPLOYMENT = "housing";
    public static final String DEFAULT_STABLE_VARIANT = "v1";
    public static final String DEFAULT_CANARY_VARIANT = "v2";
    public static final String DEFAULT_MODEL_ID = "classifier";

    public TrafficConfig {
        if (!(requestsPerSecond > 0) || Double.isInfinite(requestsPerSecond)) {
            throw new IllegalArgumentException("requestsPerSecond must be positive: " + requestsPerSecond);
        }
        requireShare("canaryShare", canaryShare);
        requireShare("batchShare", batchShare);
        Objects.requireNonNull(driftAfter, "driftAfter");
        if (driftAfter.isNegative()) {
            throw new IllegalArgumentException("driftAfter must not be negative: " + driftAfter);
        }
        drift = List.copyOf(drift);
        Set<String> drifted = new HashSet<>();
        for (FeatureShift shift : drift) {
            if (!drifted.add(shift.feature())) {
                throw new IllegalArgumentException("feature " + shift.feature() + " shifted twice");
            }
        }
        if (!(noiseLevel >= 0) || Double.isInfinite(noiseLevel)) {
            throw new IllegalArgumentException("noiseLevel must be finite and >= 0: " + noiseLevel);
        }
        requireName("namespace", namespace);
        requireName("deployment", deployment);
        requireName("stableVariant", stableVariant);
        requireName("canaryVariant", canaryVariant);
        requireName("modelId", modelId);
        if (stableVariant.equals(canaryVariant)) {
            throw new IllegalArgumentException("stable and canary variant are both " + stableVariant);
        }
    }

    /** The reference demo's settings. */
    public static TrafficConfig defaults() {
        return new TrafficConfig(
                DEFAULT_REQUESTS_PER_SECOND,
                DEFAULT_CANARY_SHARE,
                DEFAULT_DRIFT_AFTER,
                DEFAULT_DRIFT,
                DEFAULT_NOISE_LEVEL,
                DEFAULT_BATCH_SHARE,
                DEFAULT_SEED,
                DEFAULT_NAMESPACE,
                DEFAULT_DEPLOYMENT,
                DEFAULT_STABLE_VARIANT,
                DEFAULT_CANARY_VARIANT,
                DEFAULT_MODEL_ID);
    }

    public TrafficConfig withRequestsPerSecond(double value) {
        return new TrafficConfig(value, canaryShare, driftAfter, drift, noiseLevel, batchShare, seed,
                namespace, deployment, stableVariant, canaryVariant, modelId);
    }

    public TrafficConfig withCanaryShare(double value) {
        return new TrafficConfig(requestsPerSecond, value, driftAfter, drift, noiseLevel, batchShare,
                seed, namespace, deployment, stableVariant, canaryVariant, modelId);
    }

    public TrafficConfig withDriftAfter(Duration value) {
        return new TrafficConfig(requestsPerSecond, canaryShare, value, drift, noiseLevel, batchShare,
                seed, namespace, deployment, stableVariant, canaryVariant, modelId);
    }

    public TrafficConfig withDrift(List<FeatureShift> value) {
        return new TrafficConfig(requestsPerSecond, canaryShare, driftAfter, value, noiseLevel,
                batchShare, seed, namespace, deployment, stableVariant, canaryVariant, modelId);
    }

    public TrafficConfig withNoiseLevel(double value) {
        return new TrafficConfig(requestsPerSecond, canaryShare, driftAfter, drift, value, batchShare,
                seed, namespace, deployment, stableVariant, canaryVariant, modelId);
    }

    public TrafficConfig withBatchShare(double value) {
        return new TrafficConfig(requestsPerSecond, canaryShare, driftAfter, drift, noiseLevel, value,
                seed, namespace, deployment, stableVariant, canaryVariant, modelId);
    }

    public TrafficConfig withSeed(long value) {
        return new TrafficConfig(requestsPerSecond, canaryShare, driftAfter, drift, noiseLevel,
                batchShare, value, namespace, deployment, stableVariant, canaryVariant, modelId);
    }

    private static void requireShare(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1]: " + value);
        }
    }

    private static void requireName(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
