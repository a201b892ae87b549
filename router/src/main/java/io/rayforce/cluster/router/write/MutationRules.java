package io.rayforce.cluster.router.write;

import io.rayforce.cluster.client.query.Call;
import io.rayforce.cluster.client.query.Column;
import io.rayforce.cluster.client.query.Expr;
import io.rayforce.cluster.client.query.Literal;
import io.rayforce.cluster.client.query.Named;
import io.rayforce.cluster.client.query.UpdateQuery;
import io.rayforce.cluster.client.rayfall.Builtins;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.ColumnSpec;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.coordinator.server.InvalidSpecException;
import io.rayforce.cluster.coordinator.server.TableSpecValidator;
import io.rayforce.cluster.router.exec.UnsupportedQueryError;
import io.rayforce.cluster.router.planner.RowWise;
import io.rayforce.cluster.router.planner.Schemas;
import java.util.ArrayList;
import java.util.List;

/**
 * What an update or delete may say so that running it on every shard separately changes the
 * same rows in the same way as one server: once {@link AggregateValues} has written the
 * whole-table (or per-group) values of its aggregates into it, the where clause and assignments
 * compute per row (no running functions or position-dependent vectors), unless {@code by}
 * groups only within a shard (its keys include the shard key); the shard key is never assigned
 * (rows would have to move) and a column it adds has a name a created table's column may have. A table with one shard (or replicated to
 * every node) holds all its rows together, so anything goes there.
 */
final class MutationRules {
    private MutationRules() {
    }

    /**
     * @param rowWise also check that the assignments and {@code where:} compute row by row (after
     *                {@link AggregateValues} wrote the whole-table values into them)
     */
    static void checkUpdate(UpdateQuery q, TableSpec spec, ClusterSnapshot snapshot, boolean rowWise) {
        checkUpdate(q, spec, snapshot, rowWise, false);
    }

    /** @param moving the update assigns the shard key and its rows move between shards ({@link ShardKeyUpdate}) */
    static void checkUpdate(UpdateQuery q, TableSpec spec, ClusterSnapshot snapshot, boolean rowWise, boolean moving) {
        String what = "update of " + spec.getName();
        boolean perShard = allTogether(spec) || groupedByShard(q, spec);
        for (Named b : q.by()) {
            names(b.expr(), spec, snapshot, what);
        }
        for (Named a : q.assignments()) {
            if (Schemas.columnType(spec, a.name()) == null) {
                checkNewColumn(spec, a.name(), what);
            }
            if (!moving && !allTogether(spec) && a.name().equals(spec.getShardKey())) {
                throw new UnsupportedQueryError(what + ": cannot assign the shard key column " + a.name()
                        + " (its rows would have to move to other shards); delete the rows and insert them with their "
                        + "new " + a.name() + " instead");
            }
            names(a.expr(), spec, snapshot, what);
            if (rowWise && !perShard) {
                rowWise(a.expr(), what + ": the value of " + a.name());
            }
        }
        if (q.where() != null) {
            names(q.where(), spec, snapshot, what);
            if (rowWise && !allTogether(spec)) {
                rowWise(q.where(), what + ": the where: clause");
            }
        }
    }

    /**
     * The names an update assigns that are not columns of the table yet, in the order it assigns
     * them: the update adds them (docs/router.md, Adding columns).
     */
    static List<String> newColumns(UpdateQuery q, TableSpec spec) {
        List<String> out = new ArrayList<>();
        for (Named a : q.assignments()) {
            if (Schemas.columnType(spec, a.name()) == null && !out.contains(a.name())) {
                out.add(a.name());
            }
        }
        return out;
    }

    /** Fails unless a table may have a column of that name (the rule of a created table's columns). */
    private static void checkNewColumn(TableSpec spec, String name, String what) {
        checkNewColumns(spec, List.of(ColumnSpec.newBuilder().setName(name).setType("i64").build()), what, "");
    }

    /**
     * Fails unless {@code spec} may have {@code columns} added: the rule of a created table's
     * columns ({@link TableSpecValidator}), its message after {@code what: cannot add ...}.
     */
    static void checkNewColumns(TableSpec spec, List<ColumnSpec> columns, String what, String suffix) {
        try {
            TableSpecValidator.validate(spec.toBuilder().addAllColumns(columns).build());
        } catch (InvalidSpecException e) {
            String column = columns.size() == 1 ? "column " + columns.get(0).getName() + ": " : "";
            throw new UnsupportedQueryError(what + ": cannot add " + column + e.getMessage().replaceFirst("^[^:]*: ", "") + suffix);
        }
    }

    /** True when the update's {@code by:} includes the shard key as a plain column: its groups are within shards. */
    static boolean groupedByShard(UpdateQuery q, TableSpec spec) {
        return q.by().stream().anyMatch(b -> b.expr() instanceof Column c && c.name().equals(spec.getShardKey()));
    }

    static void checkWhere(Expr where, TableSpec spec, ClusterSnapshot snapshot, String what, boolean rowWise) {
        if (where == null) {
            return;
        }
        names(where, spec, snapshot, what);
        if (rowWise && !allTogether(spec)) {
            rowWise(where, what + ": the where: clause");
        }
    }

    /** True when one shard holds every row of the table. */
    static boolean allTogether(TableSpec spec) {
        return spec.getReplicatedToAll() || spec.getShardCount() == 1;
    }

    /**
     * True when {@code e} is computed row by row, so each shard can compute it for its own rows:
     * {@link RowWise}, and the group lookup
     * {@code (at [values] (find [groups] g))} that {@link AggregateValues} writes.
     */
    static boolean isRowWise(Expr e) {
        return rowWise(e, false);
    }

    private static boolean rowWise(Expr e, boolean valueSet) {
        if (e instanceof Column) {
            return true;
        }
        if (e instanceof Literal l) {
            return RowWise.literal(l, valueSet);
        }
        if (groupLookup(e)) {
            return true;
        }
        Call c = (Call) e;
        if (Builtins.placement(c.function()) != Builtins.Placement.ROWWISE) {
            return false;
        }
        for (int i = 0; i < c.args().size(); i++) {
            if (!rowWise(c.args().get(i), RowWise.valueSet(c, i))) {
                return false;
            }
        }
        return true;
    }

    /** {@code (at [values] (find [groups] g))}: each row's group's value. */
    static boolean groupLookup(Expr e) {
        return e instanceof Call at && at.function().equals("at") && at.args().size() == 2
                && at.args().get(0) instanceof Literal v && v.value() instanceof Vector
                && at.args().get(1) instanceof Call find && find.function().equals("find") && find.args().size() == 2
                && find.args().get(0) instanceof Literal g && g.value() instanceof Vector
                && find.args().get(1) instanceof Column;
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

    /** The vector literals of per-row values in {@code e} (outside the set argument of in, within, like). */
    static List<Vector> rowVectors(Expr e) {
        List<Vector> out = new ArrayList<>();
        rowVectors(e, false, out);
        return out;
    }

    private static void rowVectors(Expr e, boolean valueSet, List<Vector> out) {
        if (groupLookup(e)) {
            return;
        }
        if (e instanceof Literal l) {
            if (!valueSet && l.value() instanceof Vector v) {
                out.add(v);
            }
        } else if (e instanceof Call c) {
            for (int i = 0; i < c.args().size(); i++) {
                rowVectors(c.args().get(i), RowWise.valueSet(c, i), out);
            }
        }
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
