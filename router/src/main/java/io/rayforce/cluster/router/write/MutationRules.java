package io.rayforce.cluster.router.write;

import io.rayforce.cluster.client.query.Call;
import io.rayforce.cluster.client.query.Column;
import io.rayforce.cluster.client.query.Expr;
import io.rayforce.cluster.client.query.Literal;
import io.rayforce.cluster.client.query.Named;
import io.rayforce.cluster.client.query.UpdateQuery;
import io.rayforce.cluster.client.value.Atom;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.router.exec.UnsupportedQueryError;
import io.rayforce.cluster.router.planner.RowWise;
import io.rayforce.cluster.router.planner.Schemas;
import java.util.Set;

/**
 * What an update or delete may say so that running it on every shard separately changes the
 * same rows in the same way as one server: the where clause and assignments compute per row
 * (no aggregates, running functions or position-dependent vectors), the shard key is never
 * assigned (rows would have to move), no column is added, and {@code by} groups only within
 * a shard (its keys include the shard key). A table with one shard (or replicated to every
 * node) holds all its rows together, so anything goes there.
 */
final class MutationRules {
    /** Functions whose vector argument is a set of values, not one value per row. */
    private static final Set<String> VALUE_SETS = Set.of("in", "not-in", "within", "like");

    private MutationRules() {
    }

    static void checkUpdate(UpdateQuery q, TableSpec spec, ClusterSnapshot snapshot) {
        String what = "update of " + spec.getName();
        boolean together = allTogether(spec);
        boolean groupedByShard = !q.by().isEmpty() && q.by().stream()
                .anyMatch(b -> b.expr() instanceof Column c && c.name().equals(spec.getShardKey()));
        if (!q.by().isEmpty() && !together && !groupedByShard) {
            throw new UnsupportedQueryError(what + ": by: must include the shard key " + spec.getShardKey()
                    + " as a plain column, so that no group spans shards");
        }
        for (Named b : q.by()) {
            names(b.expr(), spec, snapshot, what);
        }
        if (q.assignments().isEmpty()) {
            return;
        }
        for (Named a : q.assignments()) {
            if (Schemas.columnType(spec, a.name()) == null) {
                throw new UnsupportedQueryError(what + ": cannot add column " + a.name()
                        + "; the columns of a cluster table are fixed when it is created");
            }
            if (!together && a.name().equals(spec.getShardKey())) {
                throw new UnsupportedQueryError(what + ": cannot assign the shard key column " + a.name()
                        + " (its rows would have to move to other shards)");
            }
            names(a.expr(), spec, snapshot, what);
            if (!together && !groupedByShard) {
                rowWise(a.expr(), what + ": the value of " + a.name());
            }
        }
        checkWhere(q.where(), spec, snapshot, what);
    }

    static void checkWhere(Expr where, TableSpec spec, ClusterSnapshot snapshot, String what) {
        if (where == null) {
            return;
        }
        names(where, spec, snapshot, what);
        if (!allTogether(spec)) {
            rowWise(where, what + ": the where: clause");
        }
    }

    /** True when one shard holds every row of the table. */
    static boolean allTogether(TableSpec spec) {
        return spec.getReplicatedToAll() || spec.getShardCount() == 1;
    }

    /** True when {@code e} is computed row by row, so each shard can compute it for its own rows. */
    static boolean isRowWise(Expr e) {
        return RowWise.is(e) && noRowVectors(e, false);
    }

    /** True when {@code e} names no hidden column and no other cluster table. */
    static boolean plainNames(Expr e, TableSpec spec, ClusterSnapshot snapshot) {
        try {
            names(e, spec, snapshot, "");
            return true;
        } catch (UnsupportedQueryError x) {
            return false;
        }
    }

    /** Fails when {@code e} is not computed row by row. */
    private static void rowWise(Expr e, String what) {
        if (!isRowWise(e)) {
            throw new UnsupportedQueryError(what + " must be computed row by row (no aggregates, running functions or "
                    + "vectors of per-row values), since every shard applies it to its own rows");
        }
    }

    /** False when a vector literal stands for per-row values (outside the set argument of in, within, like). */
    private static boolean noRowVectors(Expr e, boolean valueSet) {
        if (e instanceof Literal l) {
            return valueSet || l.value() instanceof Atom;
        }
        if (e instanceof Call c) {
            for (int i = 0; i < c.args().size(); i++) {
                if (!noRowVectors(c.args().get(i), i > 0 && VALUE_SETS.contains(c.function()))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Fails on names the shards cannot resolve as one server would: hidden columns and other cluster tables. */
    private static void names(Expr e, TableSpec spec, ClusterSnapshot snapshot, String what) {
        if (e instanceof Column c) {
            if (c.name().startsWith("__")) {
                throw new UnsupportedQueryError(what + ": no column " + c.name());
            }
            if (Schemas.columnType(spec, c.name()) == null && snapshot.table(c.name()).isPresent()) {
                throw new UnsupportedQueryError(what + ": cannot refer to the cluster table " + c.name()
                        + " inside an update or delete; select the values first");
            }
        } else if (e instanceof Call c) {
            for (Expr a : c.args()) {
                names(a, spec, snapshot, what);
            }
        }
    }
}
