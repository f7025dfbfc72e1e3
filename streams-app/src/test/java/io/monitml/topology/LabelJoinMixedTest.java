package io.monitml.topology;

/**
 * {@link LabelJoinTest} with two partitions for the inputs: the records whose request id belongs in the second cross the
 * repartition (every record is in the first here), the others stay; each kind meets the other.
 */
class LabelJoinMixedTest extends LabelJoinTest {

    @Override
    int joinPartitions() {
        return 2;
    }
}
