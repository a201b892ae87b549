package io.rayforce.cluster.router.planner;

import io.rayforce.cluster.client.query.Call;
import io.rayforce.cluster.client.query.Column;
import io.rayforce.cluster.client.query.Expr;
import io.rayforce.cluster.client.query.SelectQuery;
import io.rayforce.cluster.client.rayfall.Builtins;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import java.util.Set;

/**
 * Which computations over one table give the same value for the same data, so a step computing
 * one may be reused while the table is unchanged ({@code plan.Reused}): an expression of the
 * table's own columns, literals and builtins the planner places by a rule (row-wise, aggregate,
 * order-sensitive, set-like: each computes its value from its arguments alone). Anything else may
 * not be: {@code rand}, a clock ({@code (date 0)}), a function value or a global whose value may
 * change without a write to the table.
 */
final class Reusable {
    private Reusable() {
    }

    /** Whether {@code e} (null: no expression) depends on nothing but the rows of {@code spec}'s table. */
    static boolean over(Expr e, TableSpec spec) {
        return e == null || over(e, Set.copyOf(Schemas.columnNames(spec)));
    }

    /** Whether every part of the flattened select {@code q} (filter, keys, projections) depends on nothing but the rows of {@code spec}'s table. */
    static boolean select(SelectQuery q, TableSpec spec) {
        Set<String> columns = Set.copyOf(Schemas.columnNames(spec));
        return (q.where() == null || over(q.where(), columns))
                && q.by().stream().allMatch(k -> over(k.expr(), columns))
                && q.projections().stream().allMatch(p -> over(p.expr(), columns));
    }

    private static boolean over(Expr e, Set<String> columns) {
        if (e instanceof Column c) {
            return columns.contains(c.name());
        }
        if (e instanceof Call c) {
            Builtins.Placement p = Builtins.placement(c.function());
            if (p == Builtins.Placement.NONE) {
                return false;
            }
            return c.args().stream().allMatch(a -> over(a, columns));
        }
        return true; // a literal
    }
}
