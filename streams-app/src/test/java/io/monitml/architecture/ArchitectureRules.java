package io.monitml.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.List;

import com.tngtech.archunit.lang.ArchRule;

/**
 * The rules that keep the application's packages apart, for any root package: {@code io.monitml}
 * for the application, a fixture's root to show that each rule fires.
 */
final class ArchitectureRules {

    /** Generated Avro classes: the wire format of the topics, not a type to compute with. */
    static final String AVRO_GENERATED = "io.monitml.avro..";

    private ArchitectureRules() {
    }

    /** No two packages under the root (sub-packages each on their own) depend on each other in a circle. */
    static ArchRule noCycles(final String root) {
        return slices().matching(root + ".(**)").should().beFreeOfCycles()
            .because("a package loop makes every package in it one unit that can be neither understood nor changed alone");
    }

    /** The demo's traffic generator and console are for the CLI's demo command only. */
    static ArchRule onlyTheCliUsesTheDemo(final String root) {
        return noClasses().that().resideOutsideOfPackages(root + ".cli..", root + ".demo..")
            .should().dependOnClassesThat().resideInAPackage(root + ".demo..")
            .because("production code must not depend on the demo");
    }

    /** Windows, drift and statistics are plain computation, testable without Kafka. */
    static ArchRule computationKnowsNoKafka(final String root) {
        return noClasses().that().resideInAnyPackage(root + ".aggregate..", root + ".drift..", root + ".stats..")
            .should().dependOnClassesThat().resideInAPackage("org.apache.kafka..")
            .because("windows, drift and statistics are plain computation, tested without Kafka");
    }

    /** Windows, drift and statistics compute on plain values, not on the topics' wire format. */
    static ArchRule computationKnowsNoAvro(final String root) {
        return noClasses().that().resideInAnyPackage(root + ".aggregate..", root + ".drift..", root + ".stats..")
            .should().dependOnClassesThat().resideInAPackage(AVRO_GENERATED)
            .because("windows, drift and statistics compute on plain values; the wire format is the topology's business");
    }

    /** The topology wires the stream; the HTTP port and the queries stand on top of it. */
    static ArchRule topologyKnowsNoHttpNorQuery(final String root) {
        return noClasses().that().resideInAPackage(root + ".topology..")
            .should().dependOnClassesThat().resideInAnyPackage(root + ".http..", root + ".query..")
            .because("the topology is wiring only; the HTTP port and the query service read what it makes");
    }

    /** The typed configuration is read by everything above it and reads nothing above it. */
    static ArchRule configKnowsNothingAboveIt(final String root) {
        return noClasses().that().resideInAPackage(root + ".config..")
            .should().dependOnClassesThat().resideInAnyPackage(root + ".topology..", root + ".app..", root + ".cli..",
                root + ".http..", root + ".query..", root + ".metrics..", root + ".demo..")
            .because("the configuration is built first and handed to the parts it configures");
    }

    static List<ArchRule> all(final String root) {
        return List.of(noCycles(root), onlyTheCliUsesTheDemo(root), computationKnowsNoKafka(root), computationKnowsNoAvro(root),
            topologyKnowsNoHttpNorQuery(root), configKnowsNothingAboveIt(root));
    }
}
