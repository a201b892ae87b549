package io.rayforce.cluster.router.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.rayforce.cluster.client.RayforceError;
import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.router.ClusterClient;
import io.rayforce.cluster.router.testing.SameAnswer;

/**
 * Runs one statement on the oracle engine and on the cluster and checks they agree: the same
 * answer, or an engine error with the same code from both.
 */
final class Differential {
    private final TCPClient oracle;
    private final ClusterClient cluster;

    Differential(TCPClient oracle, ClusterClient cluster) {
        this.oracle = oracle;
        this.cluster = cluster;
    }

    /** Runs {@code statement} on both; answers whether the oracle accepted it. */
    boolean same(String statement) {
        RayValue expected;
        try {
            expected = oracle.execute(statement);
        } catch (RayforceEvaluationError e) {
            try {
                RayValue got = cluster.execute(statement);
                fail(statement + ": the oracle failed with " + e.code() + " but the cluster answered " + got);
            } catch (RayforceEvaluationError c) {
                assertThat(c.code()).as("error code of %s (%s)", statement, c.getMessage()).isEqualTo(e.code());
            } catch (RayforceError c) {
                fail(statement + ": the oracle failed with " + e.code() + " but the cluster with " + c);
            }
            return false;
        }
        RayValue actual;
        try {
            actual = cluster.execute(statement);
        } catch (RayforceError c) {
            throw new AssertionError(statement + ": the oracle answered but the cluster failed: " + c.getMessage(), c);
        }
        SameAnswer.assertSame(statement, expected, actual);
        return true;
    }
}
