package io.rayforce.cluster.router.gateway;

import io.rayforce.cluster.client.rayfall.TreeWalk;
import io.rayforce.cluster.client.value.Builtin;
import io.rayforce.cluster.client.value.Lambda;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.router.statement.Statements;

/**
 * Which requests may change data: a call of a write function ({@code insert}, {@code upsert},
 * {@code update}, {@code delete}, {@code set}: an ipcsave) or a {@code .cluster.*} admin function
 * anywhere in the tree (the vocabulary is {@link Statements}'). These are never interrupted by a
 * cancel or a disconnect: stopping a write half-way through its shards would leave it applied to
 * some and not others, where the engine finishes a write it has started. The test errs on the
 * side of protecting; a protected read only loses its cancel. A tree nested deeper than a walk
 * follows counts as a write.
 */
final class WriteRequests {
    private WriteRequests() {
    }

    static boolean mayWrite(RayValue tree) {
        try {
            return TreeWalk.any(tree, v -> v instanceof RayList l && l.length() > 0 && isWriting(functionName(l.get(0)), false))
                    || globalLet(tree) != null;
        } catch (TreeWalk.TooDeep e) {
            return true;
        }
    }

    /**
     * A {@code let} outside every function: it binds a global (docs/globals.md), where inside a
     * function it binds a local. Null when there is none.
     */
    static String globalLet(RayValue tree) {
        String[] found = {null};
        TreeWalk.walk(tree, (v, path) -> {
            if (found[0] != null || v instanceof Lambda) {
                return false;
            }
            if (v instanceof RayList l && l.length() > 0) {
                String f = functionName(l.get(0));
                if ("fn".equals(f) || "quote".equals(f) || "do".equals(f)) {
                    return false; // a function's or a do's locals, or data
                }
                if ("let".equals(f)) {
                    found[0] = "let";
                    return false;
                }
            }
            return true;
        });
        return found[0];
    }

    /**
     * What a read-only user must be refused in {@code tree}: a call of a write function, or of a
     * {@code .cluster.*} function other than those that only read ({@link Statements#READ_ONLY_ADMIN}),
     * anywhere in it, lambda bodies included, or such a function passed as a value (to
     * {@code map}, say); null when there is none. Like {@link #mayWrite} it errs on the side of
     * refusing: a write function applied to a copy ({@code (insert t rows)} without the quote),
     * which changes nothing, is refused too.
     */
    static String firstWrite(RayValue tree) {
        String[] found = {null};
        try {
            TreeWalk.walk(tree, (v, path) -> {
                if (found[0] != null) {
                    return false;
                }
                String name = v instanceof RayList l && l.length() > 0 ? functionName(l.get(0))
                        : v instanceof Name n ? n.name() : v instanceof Builtin b ? b.name() : null;
                if (isWriting(name, true)) {
                    found[0] = name;
                    return false;
                }
                return true;
            });
            if (found[0] == null) {
                found[0] = globalLet(tree);
            }
        } catch (TreeWalk.TooDeep e) {
            return "(expression nested deeper than " + TreeWalk.MAX_DEPTH + ")";
        }
        return found[0];
    }

    /** Whether {@code name} writes; with {@code readOnlyAdminAllowed}, the admin functions that only read do not. */
    private static boolean isWriting(String name, boolean readOnlyAdminAllowed) {
        if (name == null) {
            return false;
        }
        if (Statements.WRITE_FUNCTIONS.contains(name)) {
            return true;
        }
        return name.startsWith(Statements.ADMIN_PREFIX) && !(readOnlyAdminAllowed && Statements.READ_ONLY_ADMIN.contains(name));
    }

    private static String functionName(RayValue head) {
        return head instanceof Name n ? n.name() : head instanceof Builtin b ? b.name()
                : head instanceof Symbol s ? s.name() : null;
    }
}
