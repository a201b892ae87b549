package io.rayforce.cluster.router.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.value.F64Atom;
import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.router.ClusterClient;

/**
 * The differential oracle's equality: values, types, column names and order, and row order must
 * be equal; f64 values may differ in the last bits (the engine's own float aggregates do between
 * worker counts), up to a relative 1e-9.
 */
public final class SameAnswer {
    static final double RELATIVE = 1e-9;

    private SameAnswer() {
    }

    /**
     * {@code query} answers on the cluster as on one server ({@code oracle}): the same value, or,
     * where the server fails, an engine error of the same code.
     */
    public static void assertLikeOneServer(TCPClient oracle, ClusterClient cluster, String query) {
        RayValue expected;
        try {
            expected = oracle.execute(query);
        } catch (RayforceEvaluationError e) {
            assertThatThrownBy(() -> cluster.execute(query)).isInstanceOfSatisfying(RayforceEvaluationError.class,
                    g -> assertThat(g.code()).as(query).isEqualTo(e.code()));
            return;
        }
        assertSame(query, expected, cluster.execute(query));
    }

    public static void assertSame(String query, RayValue oracle, RayValue cluster) {
        if (oracle instanceof RayTable o && cluster instanceof RayTable c) {
            assertThat(c.columnNames()).as("columns of %s", query).isEqualTo(o.columnNames());
            assertThat(c.rowCount()).as("rows of %s", query).isEqualTo(o.rowCount());
            for (int i = 0; i < o.columnCount(); i++) {
                column(query + " column " + o.columnNames().get(i), o.column(i), c.column(i));
            }
            return;
        }
        if (oracle instanceof F64Atom o && cluster instanceof F64Atom c) {
            real(query, o.value(), c.value());
            return;
        }
        assertThat(cluster).as(query).isEqualTo(oracle);
    }

    private static void column(String what, RayValue o, RayValue c) {
        if (o instanceof F64Vector ov && c instanceof F64Vector cv) {
            assertThat(cv.length()).as(what).isEqualTo(ov.length());
            for (int i = 0; i < ov.length(); i++) {
                real(what + " row " + i, ov.get(i), cv.get(i));
            }
            return;
        }
        if (o instanceof RayList ol && c instanceof RayList cl && ol.length() == cl.length()) {
            for (int i = 0; i < ol.length(); i++) {
                assertSame(what + " item " + i, ol.get(i), cl.get(i));
            }
            return;
        }
        assertThat(c).as(what).isEqualTo(o);
    }

    private static void real(String what, double o, double c) {
        if (Double.isNaN(o) || Double.isNaN(c)) {
            if (Double.isNaN(o) != Double.isNaN(c)) {
                fail(what + ": expected " + o + " but was " + c);
            }
            return;
        }
        double tol = Math.max(Math.abs(o), Math.abs(c)) * RELATIVE;
        if (Math.abs(o - c) > tol) {
            fail(what + ": expected " + o + " but was " + c + " (beyond relative " + RELATIVE + ")");
        }
    }
}
