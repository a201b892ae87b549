package io.rayforce.cluster.router.planner;

import io.rayforce.cluster.client.query.Expr;
import io.rayforce.cluster.client.query.Queries;
import io.rayforce.cluster.client.rayfall.Builtins;
import io.rayforce.cluster.client.rayfall.TreeWalk;
import io.rayforce.cluster.client.value.Atom;
import io.rayforce.cluster.client.value.Lambda;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.SymbolVector;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code (modify t 'c f)}: the engine calls {@code f} once on the whole column {@code c} and
 * answers the table with that column replaced (checked on the pinned engine; there is no in-place
 * form). When {@code f} computes each row's value from that row alone, that is the select
 * {@code (select {a: a .. c: (f c) .. from: t})}, which stays on the shards: {@code f} a unary
 * row-wise builtin ({@link Builtins#UNARY_ROWWISE}), or a lambda of one parameter whose body is
 * built of row-wise builtins, atoms and that parameter (which it must use, so that the value is a
 * column of the table's length). Any other function gets no rewrite (the table is merged first).
 */
final class ModifyRewrite {
    private ModifyRewrite() {
    }

    /** The select {@code (modify t 'c f)} equals, for a table with {@code columns}, or empty when {@code f} is not row-wise. */
    static Optional<RayValue> select(String table, List<String> columns, String column, RayValue f) {
        RayValue replaced = replacement(f, column);
        if (replaced == null) {
            return Optional.empty();
        }
        List<String> keys = new ArrayList<>(columns);
        List<RayValue> values = new ArrayList<>();
        for (String c : columns) {
            values.add(c.equals(column) ? replaced : Name.of(c));
        }
        keys.add("from");
        values.add(Name.of(table));
        RayValue tree = RayList.of(Name.of("select"), RayDict.of(SymbolVector.of(keys), values.toArray(RayValue[]::new)));
        return Queries.parse(tree).isPresent() ? Optional.of(tree) : Optional.empty();
    }

    /** {@code (f c)} written row-wise over column {@code c}, or null when {@code f} is not a row-wise function of one value. */
    private static RayValue replacement(RayValue f, String column) {
        if (f instanceof Name n && Builtins.UNARY_ROWWISE.contains(n.name()) && Builtins.kind(n.name()) == Builtins.Kind.PURE) {
            return RayList.of(n, Name.of(column));
        }
        String param;
        RayValue body;
        if (f instanceof RayList l && l.length() == 3 && "fn".equals(Queries.function(l))) {
            param = onlyParam(l.get(1));
            body = l.get(2);
        } else if (f instanceof Lambda lambda) {
            param = onlyParam(lambda.params());
            body = lambda.body();
        } else {
            return null;
        }
        if (param == null || !usesOnly(body, param)) {
            return null;
        }
        RayValue rewritten;
        try {
            rewritten = TreeWalk.rewrite(body, v -> v instanceof Name n && n.name().equals(param) ? Name.of(column) : v);
        } catch (TreeWalk.TooDeep e) {
            return null;
        }
        Expr e;
        try {
            e = Queries.expr(rewritten);
        } catch (IllegalArgumentException ex) {
            return null;
        }
        // the function is called with the column outside a select, and must answer as it does inside one
        return RowWise.isOutsideSelect(e) ? rewritten : null;
    }

    /** The name of a parameter list's only parameter, or null. */
    private static String onlyParam(RayValue params) {
        if (params instanceof SymbolVector sv && sv.length() == 1) {
            return sv.get(0);
        }
        if (params instanceof RayList pl && pl.length() == 1) {
            return pl.get(0) instanceof Name n ? n.name() : pl.get(0) instanceof Symbol s ? s.name() : null;
        }
        return null;
    }

    /**
     * Whether {@code body} is the parameter, or calls of row-wise builtins over atoms and row-wise
     * calls that use the parameter somewhere: no other name (a global, or a column a select would
     * read where the lambda reads a global), no vector literal, no special form.
     */
    private static boolean usesOnly(RayValue body, String param) {
        return uses(body, param) == 2;
    }

    /** 0: not allowed; 1: allowed, without the parameter; 2: allowed, with it. */
    private static int uses(RayValue v, String param) {
        if (v instanceof Name n) {
            return n.name().equals(param) ? 2 : 0;
        }
        if (v instanceof RayList l) {
            if (l.length() < 2 || !(l.get(0) instanceof Name head) || Builtins.placement(head.name()) != Builtins.Placement.ROWWISE
                    || Builtins.kind(head.name()) != Builtins.Kind.PURE) {
                return 0;
            }
            int found = 1;
            for (int i = 1; i < l.length(); i++) {
                int u = uses(l.get(i), param);
                if (u == 0) {
                    return 0;
                }
                found = Math.max(found, u);
            }
            return found;
        }
        return v instanceof Atom ? 1 : 0;
    }
}
