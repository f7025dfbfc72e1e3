package io.monitml.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.monitml.config.Defaults;
import io.monitml.avro.PredictionStats;
import io.monitml.demo.DemoBaseline;
import io.monitml.demo.SeldonEvent;
import io.monitml.ingest.Limits;
import io.monitml.ingest.Unit;

/**
 * Which units the merging stage monitors when there are more than it may: four places, of which
 * units without a baseline take at most two, and one per namespace; a unit with a baseline gets a
 * place while there is one; a silent unit frees its place. Over two instances on a real broker:
 * {@code UnitFloodIT}.
 */
class UnitAdmissionTopologyTest extends TopologyTestSupport {

    private static final Instant T0 = TopologyFixture.WALL_CLOCK.minus(Duration.ofMinutes(5));
    private static final Duration EXPIRY = Duration.ofMinutes(1);
    private static final String RESPONSE = "{\"data\":{\"names\":[\"price\"],\"ndarray\":[[21.5]]}}";
    private static final String REQUEST = "{\"data\":{\"names\":[\"rm\"],\"ndarray\":[[6.5]]}}";

    @Override
    Limits limits() {
        return Defaults.limits().withUnits(4, 1, EXPIRY);
    }

    @Test
    void shouldGiveThePlacesToUnitsWithABaselineAndBoundTheOthersPerNamespaceAndInAll() {
        fixture.baselines.pipeInput(DemoBaseline.spec().key(), DemoBaseline.build(T0), T0);
        final Unit[] arrivals = {
            unit("evil", "made-up-1"), unit("evil", "made-up-2"), unit("quiet", "no-baseline-1"), unit("quiet", "no-baseline-2"),
            new Unit("seldon", "housing", "v1", "classifier"), new Unit("seldon", "housing", "v2", "classifier"),
            new Unit("seldon", "housing", "v3", "classifier")};
        for (Unit unit : arrivals) {
            fixture.send(unit, SeldonEvent.REQUEST_TYPE, T0.plusSeconds(1), REQUEST);
            fixture.send(unit, SeldonEvent.RESPONSE_TYPE, T0.plusSeconds(1), RESPONSE);
            fixture.flush();
        }
        closeWindowOf(T0);

        assertThat(fixture.stats.readValuesToList()).extracting(stats -> Unit.fromAvro(stats.getUnit()).key())
            .containsExactlyInAnyOrder("evil/made-up-1/v/m", "quiet/no-baseline-1/v/m", "seldon/housing/v1/classifier",
                "seldon/housing/v2/classifier");
        assertThat(fixture.drift.readValuesToList()).extracting(report -> Unit.fromAvro(report.getUnit()).key())
            .as("the same units for drift").containsExactlyInAnyOrder("evil/made-up-1/v/m", "quiet/no-baseline-1/v/m",
                "seldon/housing/v1/classifier", "seldon/housing/v2/classifier");
        assertThat(fixture.listener.refused).as("the second of a namespace, one beyond half, one beyond all")
            .containsExactlyInAnyOrder("prediction-statistics evil x1", "feature-drift evil x1", "prediction-statistics quiet x1",
                "feature-drift quiet x1", "prediction-statistics seldon x1", "feature-drift seldon x1");
    }

    @Test
    void shouldFreeThePlaceOfAUnitSilentForTheExpiry() {
        fixture.baselines.pipeInput(DemoBaseline.spec().key(), DemoBaseline.build(T0), T0);
        for (int i = 1; i <= 4; i++) {
            fixture.send(new Unit("seldon", "housing", "v" + i, "classifier"), SeldonEvent.RESPONSE_TYPE, T0.plusSeconds(1), RESPONSE);
        }
        fixture.flush();
        final Unit late = new Unit("seldon", "housing", "v5", "classifier");
        fixture.send(late, SeldonEvent.RESPONSE_TYPE, T0.plusSeconds(2), RESPONSE);
        fixture.flush();
        assertThat(fixture.listener.refused).containsExactly("prediction-statistics seldon x1");

        fixture.driver.advanceWallClockTime(EXPIRY.plusSeconds(10));
        final Instant later = T0.plus(TopologyFixture.WINDOW.multipliedBy(3));
        fixture.send(late, SeldonEvent.RESPONSE_TYPE, later, RESPONSE);
        fixture.flush();
        closeWindowOf(later);

        assertThat(fixture.stats.readValuesToList()).extracting(PredictionStats::getWindowStart, stats -> stats.getUnit().getVariant())
            .contains(org.assertj.core.groups.Tuple.tuple(Instant.ofEpochMilli(later.toEpochMilli() / TopologyFixture.WINDOW.toMillis() * TopologyFixture.WINDOW.toMillis()), "v5"));
        assertThat(fixture.listener.refused).as("once the others were silent for the expiry").hasSize(1);
    }

    private static Unit unit(final String namespace, final String deployment) {
        return new Unit(namespace, deployment, "v", "m");
    }

    /** A request and a response of a known unit far enough after {@code time} that its window closes. */
    private void closeWindowOf(final Instant time) {
        final Instant after = time.plus(TopologyFixture.WINDOW).plus(TopologyFixture.GRACE).plus(TopologyFixture.WINDOW);
        fixture.send(new Unit("seldon", "housing", "v1", "classifier"), SeldonEvent.REQUEST_TYPE, after, REQUEST);
        fixture.send(new Unit("seldon", "housing", "v1", "classifier"), SeldonEvent.RESPONSE_TYPE, after, RESPONSE);
        fixture.flush();
        fixture.flush();
    }
}
