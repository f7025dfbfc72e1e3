package io.monitml.app;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedSaslMechanismException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first thing start-up asks of Kafka: who is there. A broker that refuses the credentials, a
 * TLS handshake that fails, or a listener that cannot be reached (a plaintext client at a SASL or
 * TLS listener sees only dropped connections) ends start-up within a bounded time with a
 * {@link KafkaConnectionException} that names the cause and the settings to change, instead of a
 * pipeline that retries forever in the background.
 */
final class KafkaConnectionCheck {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaConnectionCheck.class);
    private static final String WHERE = "--kafka-config FILE (or MONITML_KAFKA_CONFIG), KAFKA_* variables or --kafka KEY=VALUE";

    private KafkaConnectionCheck() {
    }

    /** An admin client with these settings, or the reason none can be made (a JAAS configuration that does not parse, a missing key store). */
    static Admin admin(final Map<String, Object> settings) {
        try {
            return Admin.create(settings);
        } catch (KafkaException e) {
            throw new KafkaConnectionException("Cannot set up a Kafka client for " + bootstrap(settings) + ": " + rootMessage(e)
                + hint(settings, e), e);
        }
    }

    /** Returns the cluster id once the cluster has answered; throws {@link KafkaConnectionException} otherwise. */
    static String check(final Admin admin, final Map<String, ?> settings, final Duration timeout) {
        try {
            final String clusterId = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                .clusterId().get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
            LOG.info("Connected to Kafka cluster {} at {} ({})", clusterId, bootstrap(settings), protocol(settings));
            return clusterId;
        } catch (ExecutionException e) {
            throw explain(e.getCause(), settings, timeout);
        } catch (java.util.concurrent.TimeoutException e) {
            throw explain(new TimeoutException(e.getMessage()), settings, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaConnectionException("Interrupted while connecting to Kafka at " + bootstrap(settings), e);
        }
    }

    static KafkaConnectionException explain(final Throwable cause, final Map<String, ?> settings, final Duration timeout) {
        final String at = bootstrap(settings);
        if (cause instanceof SslAuthenticationException) {
            return new KafkaConnectionException("The TLS handshake with Kafka at " + at + " failed: " + rootMessage(cause)
                + ". Trust the broker's certificate authority with ssl.truststore.location (and ssl.truststore.password, "
                + "ssl.truststore.type), and give a client certificate with ssl.keystore.* if the listener asks for one; set them in " + WHERE + ".",
                cause);
        }
        if (cause instanceof UnsupportedSaslMechanismException) {
            return new KafkaConnectionException("Kafka at " + at + " does not offer the SASL mechanism " + mechanism(settings) + ": "
                + rootMessage(cause) + ". Set sasl.mechanism to one the listener enables, in " + WHERE + ".", cause);
        }
        if (cause instanceof SaslAuthenticationException || cause instanceof AuthenticationException) {
            return new KafkaConnectionException("Kafka at " + at + " refused authentication (" + mechanism(settings) + "): "
                + rootMessage(cause) + ". Check the user name and password in sasl.jaas.config (and sasl.mechanism); set them in "
                + WHERE + ".", cause);
        }
        if (cause instanceof TimeoutException) {
            return new KafkaConnectionException("Cannot reach Kafka at " + at + " within " + seconds(timeout) + " (security.protocol "
                + protocol(settings) + "). If the listener needs SASL or TLS, set security.protocol (SASL_SSL, SASL_PLAINTEXT or SSL), "
                + "sasl.mechanism and sasl.jaas.config, or ssl.truststore.location, in " + WHERE
                + "; otherwise check the address and that the brokers are up (--kafka-timeout waits longer).", cause);
        }
        return new KafkaConnectionException("Kafka at " + at + " did not answer: " + rootMessage(cause), cause);
    }

    private static String hint(final Map<String, ?> settings, final Throwable error) {
        final String message = rootMessage(error);
        if (message.contains("JAAS")) {
            return ". With security.protocol " + protocol(settings) + " and sasl.mechanism " + mechanism(settings)
                + " set sasl.jaas.config, in " + WHERE + ".";
        }
        return ". Check the Kafka client settings in " + WHERE + ".";
    }

    private static String rootMessage(final Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        final String message = cause.getMessage() == null ? "" : cause.getMessage().strip();
        return message.isEmpty() ? cause.getClass().getSimpleName() : message.endsWith(".") ? message.substring(0, message.length() - 1) : message;
    }

    private static String bootstrap(final Map<String, ?> settings) {
        return String.valueOf(settings.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
    }

    private static String protocol(final Map<String, ?> settings) {
        final Object protocol = settings.get(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG);
        return protocol == null ? CommonClientConfigs.DEFAULT_SECURITY_PROTOCOL : protocol.toString();
    }

    private static String mechanism(final Map<String, ?> settings) {
        final Object mechanism = settings.get(SaslConfigs.SASL_MECHANISM);
        return mechanism == null ? SaslConfigs.DEFAULT_SASL_MECHANISM : mechanism.toString();
    }

    private static String seconds(final Duration timeout) {
        return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + "s" : timeout.toMillis() + "ms";
    }
}
