package io.rayforce.cluster.router.planner;

import io.rayforce.cluster.client.query.Call;
import io.rayforce.cluster.client.query.Column;
import io.rayforce.cluster.client.query.Expr;
import io.rayforce.cluster.client.query.Literal;
import io.rayforce.cluster.client.query.Named;
import io.rayforce.cluster.client.query.SelectQuery;
import io.rayforce.cluster.client.query.Table;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.router.plan.Hidden;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A value that still lives on the shards of one sharded table: on each shard, the rows of the
 * shard that pass {@code where}, with the named row-wise {@code columns} computed from them, in
 * insertion order. A table is all of its columns; a vector is one column ({@link #vector()}).
 * Selects over it, filters and row-wise computations compose into a new one without moving
 * anything (each shard's request is still one select); what cannot compose is merged at the
 * router.
 *
 * @param vector true when the value is the vector in the single column {@link Hidden#VALUES}
 */
record ShardedRows(TablePlacement table, Expr where, List<Named> columns, boolean vector) {
    ShardedRows {
        columns = List.copyOf(columns);
    }

    /** Every row and column of {@code table}. */
    static ShardedRows of(TablePlacement table) {
        List<Named> cols = new ArrayList<>();
        for (String c : Schemas.columnNames(table.getSpec())) {
            cols.add(Column.of(c).named());
        }
        return new ShardedRows(table, null, cols, false);
    }

    TableSpec spec() {
        return table.getSpec();
    }

    /** The names of the columns, in order. */
    List<String> names() {
        return columns.stream().map(Named::name).toList();
    }

    /** The expression a column stands for over the stored table, or null when there is no such column. */
    Expr column(String name) {
        for (Named c : columns) {
            if (c.name().equals(name)) {
                return c.expr();
            }
        }
        return null;
    }

    /** The vector of column {@code name}. */
    ShardedRows vectorOf(String name) {
        return new ShardedRows(table, where, List.of(new Named(Hidden.VALUES, column(name))), true);
    }

    /** The vector this value holds, computed by {@code f} from it (row by row). */
    ShardedRows map(Expr computed) {
        return new ShardedRows(table, where, List.of(new Named(Hidden.VALUES, computed)), true);
    }

    /** The expression of the vector this value is. */
    Expr vectorExpr() {
        return columns.get(0).expr();
    }

    /**
     * {@code e}, written over this value's columns, rewritten over the stored table: each column
     * name replaced by what it computes. Null when {@code e} cannot be carried over (it holds a
     * function, whose parameters could hide a column name).
     */
    Expr inline(Expr e) {
        if (e == null) {
            return null;
        }
        Map<String, Expr> byName = new LinkedHashMap<>();
        columns.forEach(c -> byName.put(c.name(), c.expr()));
        return substitute(e, byName);
    }

    private static Expr substitute(Expr e, Map<String, Expr> byName) {
        if (e instanceof Column c) {
            Expr x = byName.get(c.name());
            return x != null ? x : c;
        }
        if (e instanceof Literal) {
            return e;
        }
        Call call = (Call) e;
        if (call.function().equals("fn")) {
            return null;
        }
        List<Expr> args = new ArrayList<>(call.args().size());
        for (Expr a : call.args()) {
            Expr s = substitute(a, byName);
            if (s == null) {
                return null;
            }
            args.add(s);
        }
        return new Call(call.function(), args);
    }

    /** Whether every name {@code e} uses as a column is one of this value's. */
    boolean knows(Expr e) {
        if (e instanceof Column c) {
            return column(c.name()) != null || !Schemas.columnNames(spec()).contains(c.name());
        }
        return !(e instanceof Call call) || call.args().stream().allMatch(this::knows);
    }

    /** These rows kept where {@code w} (over this value's columns) holds too; null when it cannot be carried over. */
    ShardedRows filter(Expr w) {
        Expr inlined = inline(w);
        if (inlined == null) {
            return null;
        }
        Expr both = where == null ? inlined : new Call("and", List.of(where, inlined));
        return new ShardedRows(table, both, columns, vector);
    }

    /** The select over the stored table that computes {@code projections} (over this value's columns) for these rows. */
    SelectQuery select(List<Named> projections) {
        return new SelectQuery(Table.of(spec().getName()), projections, where, List.of(), List.of(), null);
    }
}
