package io.monitml.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

/**
 * The application's packages keep their walls ({@link ArchitectureRules}), and each rule fires on
 * the fixture {@code io.monitml.architecture.fixture}, whose packages break one rule each.
 */
class ArchitectureTest {

    private static final String APPLICATION = "io.monitml";
    private static final String FIXTURE = "io.monitml.architecture.fixture";

    private static final JavaClasses APPLICATION_CLASSES = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(APPLICATION);
    private static final JavaClasses FIXTURE_CLASSES = new ClassFileImporter().importPackages(FIXTURE);

    private static String violations(final ArchRule rule, final JavaClasses classes) {
        final EvaluationResult result = rule.evaluate(classes);
        return String.join("\n", result.getFailureReport().getDetails());
    }

    @Test
    void applicationClassesAreThere() {
        assertThat(APPLICATION_CLASSES.contain("io.monitml.topology.MonitMlTopology")).isTrue();
        assertThat(APPLICATION_CLASSES.containPackage("io.monitml.architecture")).as("test classes are left out").isFalse();
    }

    @Test
    void noPackageLoops() {
        ArchitectureRules.noCycles(APPLICATION).check(APPLICATION_CLASSES);
    }

    @Test
    void onlyTheCliUsesTheDemo() {
        ArchitectureRules.onlyTheCliUsesTheDemo(APPLICATION).check(APPLICATION_CLASSES);
    }

    @Test
    void computationKnowsNoKafka() {
        ArchitectureRules.computationKnowsNoKafka(APPLICATION).check(APPLICATION_CLASSES);
    }

    @Test
    void computationKnowsNoAvro() {
        ArchitectureRules.computationKnowsNoAvro(APPLICATION).check(APPLICATION_CLASSES);
    }

    @Test
    void topologyKnowsNoHttpNorQuery() {
        ArchitectureRules.topologyKnowsNoHttpNorQuery(APPLICATION).check(APPLICATION_CLASSES);
    }

    @Test
    void configKnowsNothingAboveIt() {
        ArchitectureRules.configKnowsNothingAboveIt(APPLICATION).check(APPLICATION_CLASSES);
    }

    @Test
    void eachRuleFiresOnTheFixturesViolation() {
        assertThat(violations(ArchitectureRules.noCycles(FIXTURE), FIXTURE_CLASSES))
            .contains("Cycle detected", "fixture.loop.Left", "fixture.loop.right.Right");
        assertThat(violations(ArchitectureRules.onlyTheCliUsesTheDemo(FIXTURE), FIXTURE_CLASSES))
            .contains("fixture.http.Page").contains("fixture.demo.Generator")
            .doesNotContain("fixture.cli.");
        assertThat(violations(ArchitectureRules.computationKnowsNoKafka(FIXTURE), FIXTURE_CLASSES))
            .contains("fixture.stats.KafkaMean", "org.apache.kafka.common.serialization.Serde")
            .contains("fixture.drift.KafkaDrift", "org.apache.kafka.streams.processor.api.Record");
        assertThat(violations(ArchitectureRules.computationKnowsNoAvro(FIXTURE), FIXTURE_CLASSES))
            .contains("fixture.aggregate.AvroWindow", "io.monitml.avro.PredictionStats");
        assertThat(violations(ArchitectureRules.topologyKnowsNoHttpNorQuery(FIXTURE), FIXTURE_CLASSES))
            .contains("fixture.topology.Wiring", "fixture.http.Page", "fixture.query.Answer");
        assertThat(violations(ArchitectureRules.configKnowsNothingAboveIt(FIXTURE), FIXTURE_CLASSES))
            .contains("fixture.config.Settings", "fixture.topology.Wiring");
        // Every rule of the application is among those shown to fire.
        assertThat(ArchitectureRules.all(FIXTURE)).allSatisfy(rule -> assertThat(rule.evaluate(FIXTURE_CLASSES).hasViolation()).isTrue());
    }
}
