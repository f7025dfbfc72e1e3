package io.monitml.app;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.monitml.config.Topics;

/** What the topics MonitML writes results and dead letters to take, as their {@code max.message.bytes} says. */
final class TopicLimits {

    private static final Logger LOG = LoggerFactory.getLogger(TopicLimits.class);

    private TopicLimits() {
    }

    /**
     * The smallest {@code max.message.bytes} of the result and dead-letter topics, at most
     * {@code configured}; {@code configured} when the broker does not say (no such topic yet, no
     * permission to describe it).
     */
    static int smallestOf(final Admin admin, final Topics topics, final int configured, final Duration timeout) {
        final List<ConfigResource> resources = List.of(topics.predictionStats(), topics.drift(), topics.inferences(), topics.deadLetter())
            .stream().filter(name -> !name.isBlank()).map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList();
        int smallest = configured;
        for (Map.Entry<ConfigResource, org.apache.kafka.common.KafkaFuture<Config>> entry
            : admin.describeConfigs(resources).values().entrySet()) {
            try {
                final ConfigEntry limit = entry.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
                if (limit != null && limit.value() != null && Integer.parseInt(limit.value()) < smallest) {
                    smallest = Integer.parseInt(limit.value());
                    LOG.info("Topic {} takes records of at most {} bytes: results and dead letters are held to that",
                        entry.getKey().name(), smallest);
                }
            } catch (ExecutionException | TimeoutException | NumberFormatException e) {
                LOG.info("Cannot read max.message.bytes of topic {} ({}); assuming {} bytes", entry.getKey().name(), e.getMessage(), configured);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return smallest;
            }
        }
        return smallest;
    }
}
