package io.rayforce.cluster.router.planner;

import io.rayforce.cluster.client.query.Call;
import io.rayforce.cluster.client.query.Column;
import io.rayforce.cluster.client.query.Expr;
import io.rayforce.cluster.client.query.Literal;
import io.rayforce.cluster.client.rayfall.Builtins;
import io.rayforce.cluster.client.value.Atom;
import java.util.Set;

/**
 * Which expressions compute a value per row, from that row alone, so that each shard can compute
 * them on its own rows and the concatenation of the shards' values in insertion order is the
 * value one server computes: columns, atoms, and calls of builtins whose placement is
 * {@link Builtins.Placement#ROWWISE} (the table beside the data-path allowlist) with row-wise
 * arguments. A vector literal is a set of values where {@code in}, {@code not-in},
 * {@code within} and {@code like} take one (their second argument), and one value per row
 * everywhere else ({@code (+ v [8 7 6])} pairs the table's rows with the vector's items: a shard
 * holds only some of the rows), so it is not row-wise there.
 */
public final class RowWise {
    /** Functions whose vector argument (after the first) is a set of values, not one value per row. */
    private static final Set<String> VALUE_SETS = Set.of("in", "not-in", "within", "like");

    /**
     * Row-wise builtins the engine computes otherwise inside a select than outside one (checked
     * on the engine): {@code xbar} answers null for a zero or null bucket inside and {@code domain}
     * outside; {@code fill} of a vector with a value of another type answers a list inside and a
     * vector of the vector's type outside; {@code %} of floats answers 0.0 inside where it
     * answers -0.0 outside. A vector expression outside a select that calls one is not computed
     * as a select on the shards.
     */
    private static final Set<String> OTHER_INSIDE_SELECT = Set.of("xbar", "fill", "%");

    private RowWise() {
    }

    /**
     * Whether a call of {@code function} outside a select answers as it does inside one, so a
     * vector expression ({@code (f (at t 'c))}, a function {@code modify} applies) may be computed
     * as a select on each shard.
     */
    public static boolean sameOutsideSelect(String function) {
        return !OTHER_INSIDE_SELECT.contains(function);
    }

    /** As {@link #is}, for an expression computed outside a select: every call answers as it does inside one. */
    public static boolean isOutsideSelect(Expr e) {
        return is(e) && callsOnlySame(e);
    }

    private static boolean callsOnlySame(Expr e) {
        return !(e instanceof Call c) || sameOutsideSelect(c.function()) && c.args().stream().allMatch(RowWise::callsOnlySame);
    }

    /** True when {@code e} computes a value per row, so it can run on a shard. */
    public static boolean is(Expr e) {
        return is(e, false);
    }

    private static boolean is(Expr e, boolean valueSet) {
        if (e instanceof Column) {
            return true;
        }
        if (e instanceof Literal l) {
            return literal(l, valueSet);
        }
        Call c = (Call) e;
        if (Builtins.placement(c.function()) != Builtins.Placement.ROWWISE) {
            return false;
        }
        for (int i = 0; i < c.args().size(); i++) {
            if (!is(c.args().get(i), valueSet(c, i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether a literal is one value for every row: an atom, or any value where a set of values stands. */
    public static boolean literal(Literal l, boolean valueSet) {
        return valueSet || l.value() instanceof Atom;
    }

    /** Whether argument {@code i} of {@code c} is a set of values (the second of in, not-in, within, like). */
    public static boolean valueSet(Call c, int i) {
        return i > 0 && VALUE_SETS.contains(c.function());
    }
}
