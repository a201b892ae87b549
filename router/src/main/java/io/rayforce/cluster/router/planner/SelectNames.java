package io.rayforce.cluster.router.planner;

import io.rayforce.cluster.client.query.Expr;
import io.rayforce.cluster.client.query.Named;
import io.rayforce.cluster.client.query.SelectQuery;
import io.rayforce.cluster.client.rayfall.Builtins;
import io.rayforce.cluster.client.rayfall.TreeWalk;
import io.rayforce.cluster.client.value.Lambda;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.coordinator.meta.ClusterNaming;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.router.plan.UnknownName;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The names a select over a cluster table uses, resolved as one server resolves them: a column
 * of the table, a builtin, a cluster table, or a local of a function in the query. Anything else
 * is an error the engine gives whatever the rows ({@code schema} or {@code name}, by where the
 * name stands), so it is answered without asking any shard ({@link UnknownName}). Queries nested
 * inside the select have scopes of their own and are left to the engines.
 */
final class SelectNames {
    /** Functions whose dict argument opens a scope of its own. */
    private static final Set<String> QUERIES = Set.of("select", "update", "delete", "window");

    private SelectNames() {
    }

    /** The first name of {@code q} that is none of those, or null. */
    static String firstUnknown(SelectQuery q, TableSpec spec, ClusterSnapshot snapshot) {
        Set<String> columns = new LinkedHashSet<>(Schemas.columnNames(spec));
        List<Expr> exprs = new ArrayList<>();
        q.projections().stream().map(Named::expr).forEach(exprs::add);
        q.by().stream().map(Named::expr).forEach(exprs::add);
        if (q.where() != null) {
            exprs.add(q.where());
        }
        for (Expr e : exprs) {
            String unknown = firstUnknown(e.ipc(), columns, snapshot);
            if (unknown != null) {
                return unknown;
            }
        }
        return null;
    }

    private static String firstUnknown(RayValue tree, Set<String> columns, ClusterSnapshot snapshot) {
        Set<String> locals = locals(tree);
        String[] found = {null};
        TreeWalk.walk(tree, (node, path) -> {
            if (found[0] != null) {
                return false;
            }
            if (node instanceof RayList l && l.length() > 0 && l.get(0) instanceof Name h
                    && (QUERIES.contains(h.name()) || h.name().equals("quote"))) {
                return false; // a nested query resolves its own names; a quoted name is a symbol, not looked up
            }
            if (node instanceof Name n && !known(n.name(), columns, locals, snapshot)) {
                found[0] = n.name();
            }
            return true;
        });
        return found[0];
    }

    private static boolean known(String n, Set<String> columns, Set<String> locals, ClusterSnapshot snapshot) {
        return columns.contains(n) || n.equals(ClusterNaming.SEQ_COLUMN) || locals.contains(n) || Builtins.isBuiltin(n)
                || n.indexOf('.') >= 0 || snapshot.table(n).isPresent();
    }

    /** Every name a function parameter or a let binds anywhere in the tree (generous: scopes are not followed). */
    private static Set<String> locals(RayValue tree) {
        Set<String> out = new HashSet<>();
        TreeWalk.walk(tree, (node, path) -> {
            if (node instanceof Lambda f && f.params() instanceof SymbolVector sv) {
                out.addAll(sv.toList());
            }
            if (node instanceof RayList l && l.length() > 1 && l.get(0) instanceof Name h) {
                if (h.name().equals("fn")) {
                    RayValue ps = l.get(1);
                    if (ps instanceof SymbolVector sv) {
                        out.addAll(sv.toList());
                    } else if (ps instanceof RayList pl) {
                        for (int i = 0; i < pl.length(); i++) {
                            if (pl.get(i) instanceof Name p) {
                                out.add(p.name());
                            } else if (pl.get(i) instanceof Symbol p) {
                                out.add(p.name());
                            }
                        }
                    }
                } else if (h.name().equals("let") && l.get(1) instanceof Name b) {
                    out.add(b.name());
                }
            }
            return true;
        });
        return out;
    }
}
