package io.rayforce.cluster.router.plan.aggregate;

import io.rayforce.cluster.client.query.Named;
import io.rayforce.cluster.client.value.BoolVector;
import io.rayforce.cluster.client.value.DateVector;
import io.rayforce.cluster.client.value.F32Vector;
import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.GuidVector;
import io.rayforce.cluster.client.value.I16Vector;
import io.rayforce.cluster.client.value.I32Vector;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.StringVector;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.TimeVector;
import io.rayforce.cluster.client.value.TimestampVector;
import io.rayforce.cluster.client.value.U8Vector;
import io.rayforce.cluster.client.value.Vector;
import java.util.Arrays;
import java.util.List;

/**
 * {@code (top x k)} and {@code (bot x k)} in an ungrouped select of aggregates only: there the
 * engine answers the zero of x's type (0, 0.0, 2000.01.01, the empty symbol or string) whatever x
 * holds, one row when the table has rows (an empty list column when it has none). Each shard's
 * {@code (first x)} carries the type.
 */
final class ZeroRule implements AggregateRule {
    private final String function;

    ZeroRule(String function) {
        this.function = function;
    }

    @Override
    public String name() {
        return "ZERO(" + function + ")";
    }

    @Override
    public List<Named> partials(Aggregate a, boolean grouped) {
        return List.of(Partials.call(a.output(), "first", a.argument()));
    }

    @Override
    public Vector combine(Aggregate a, RayTable partials, int[][] groups) {
        return zeros(partials.column(a.output()), groups.length);
    }

    /** {@code n} zeros of {@code like}'s type. */
    static Vector zeros(Vector like, int n) {
        if (like instanceof I64Vector) {
            return new I64Vector(new long[n]);
        } else if (like instanceof TimestampVector) {
            return new TimestampVector(new long[n]);
        } else if (like instanceof F64Vector) {
            return new F64Vector(new double[n]);
        } else if (like instanceof I32Vector) {
            return new I32Vector(new int[n]);
        } else if (like instanceof DateVector) {
            return new DateVector(new int[n]);
        } else if (like instanceof TimeVector) {
            return new TimeVector(new int[n]);
        } else if (like instanceof F32Vector) {
            return new F32Vector(new float[n]);
        } else if (like instanceof I16Vector) {
            return new I16Vector(new short[n]);
        } else if (like instanceof U8Vector) {
            return new U8Vector(new byte[n]);
        } else if (like instanceof BoolVector) {
            return new BoolVector(new boolean[n]);
        } else if (like instanceof GuidVector) {
            return new GuidVector(new long[2 * n]);
        } else if (like instanceof SymbolVector) {
            String[] s = new String[n];
            Arrays.fill(s, "");
            return new SymbolVector(s);
        } else if (like instanceof StringVector) {
            String[] s = new String[n];
            Arrays.fill(s, "");
            return new StringVector(s);
        }
        throw new IllegalStateException("no zero of a " + like.type().rayfallName() + " column");
    }

    @Override
    public Vector empty(Aggregate a, RayTable partials) {
        return RayList.EMPTY;
    }
}
