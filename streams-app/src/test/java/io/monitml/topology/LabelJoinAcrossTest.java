package io.monitml.topology;

/** {@link LabelJoinTest} with every response and label across the repartition, as when the labels topic is not partitioned as the inputs. */
class LabelJoinAcrossTest extends LabelJoinTest {

    @Override
    int joinPartitions() {
        return 0;
    }
}
