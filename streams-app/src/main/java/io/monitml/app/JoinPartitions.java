package io.monitml.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.monitml.config.Topics;
import io.monitml.config.TopologySettings;

/**
 * Whether the label join may take responses and labels where they are: when the CloudEvents topic, the
 * Seldon v1 logger topic (when read) and the labels topic have as many partitions, a response and its
 * label keyed by their request id by Kafka's default partitioner are in the same partition number, so in
 * the same task, and meet there without crossing the repartition (which costs each of them a write and a
 * read through the broker: {@code BENCHMARKS.md}, issue 32). Otherwise every one crosses it.
 *
 * <p>Checked at start, as Kafka Streams checks the co-partitioning of its joins: after partitions are
 * added to one of these topics, restart MonitML (its pairing in place wants that too).
 */
final class JoinPartitions {

    private static final Logger LOG = LoggerFactory.getLogger(JoinPartitions.class);

    private JoinPartitions() {
    }

    /** The partitions of every topic the join reads when all have as many; 0 when not, or when the broker does not say. */
    static int inPlace(final Admin admin, final Topics topics, final TopologySettings.Sources sources, final Duration timeout) {
        final List<String> names = new ArrayList<>(List.of(topics.raw(), topics.labels()));
        if (sources.seldonV1Topic() != null) {
            names.add(sources.seldonV1Topic());
        }
        final Map<String, Integer> partitions = new TreeMap<>();
        try {
            for (Map.Entry<String, TopicDescription> topic
                : admin.describeTopics(names).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS).entrySet()) {
                partitions.put(topic.getKey(), topic.getValue().partitions().size());
            }
        } catch (ExecutionException | TimeoutException e) {
            LOG.info("Cannot read the partitions of {} ({}): every response and label crosses the label join's repartition", names,
                e.getMessage());
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
        if (partitions.values().stream().distinct().count() != 1) {
            LOG.warn("The label join's topics have different partition counts {}: every response and label crosses its repartition"
                + " (give them as many partitions for a cheaper join)", partitions);
            return 0;
        }
        return partitions.values().iterator().next();
    }
}
