package io.rayforce.cluster.router.gateway;

import io.rayforce.cluster.client.value.Builtin;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.ipc.Wire;
import java.util.Set;

/**
 * Which requests may change data: a call of {@code insert}, {@code upsert}, {@code update},
 * {@code delete}, {@code set} (ipcsave) or a {@code .cluster.*} admin function anywhere in the
 * tree. These are never interrupted by a cancel or a disconnect: stopping a write half-way
 * through its shards would leave it applied to some and not others, where the engine finishes a
 * write it has started. The test errs on the side of protecting; a protected read only loses its
 * cancel.
 */
final class WriteRequests {
    private static final Set<String> WRITES = Set.of("insert", "upsert", "update", "delete", "set");
    private static final String ADMIN_PREFIX = ".cluster.";
    /** The admin functions that only read: read-only users may call them. */
    static final Set<String> READ_ONLY_ADMIN = Set.of(".cluster.tables", ".cluster.describe", ".cluster.status",
            RequestEvaluator.LAST_ERROR);

    private WriteRequests() {
    }

    static boolean mayWrite(RayValue tree) {
        return mayWrite(tree, 0);
    }

    private static boolean mayWrite(RayValue v, int depth) {
        if (depth > Wire.MAX_DEPTH) {
            return true;
        }
        if (v instanceof RayList l && l.length() > 0) {
            if (isWriteFunction(l.get(0))) {
                return true;
            }
            for (int i = 0; i < l.length(); i++) {
                if (mayWrite(l.get(i), depth + 1)) {
                    return true;
                }
            }
        } else if (v instanceof RayDict d) {
            return mayWrite(d.values(), depth + 1);
        }
        return false;
    }

    /**
     * Whether a read-only user must be refused {@code tree}: it calls {@code insert},
     * {@code upsert}, {@code update}, {@code delete} or {@code set} (an ipcsave), or a
     * {@code .cluster.*} function other than those that only read ({@link #READ_ONLY_ADMIN}),
     * anywhere in it, lambda bodies included. Like {@link #mayWrite} it errs on the side of
     * refusing: a write function applied to a copy ({@code (insert t rows)} without the quote),
     * which changes nothing, is refused too.
     */
    static String firstWrite(RayValue tree) {
        return firstWrite(tree, 0);
    }

    private static String firstWrite(RayValue v, int depth) {
        if (depth > Wire.MAX_DEPTH) {
            return "(expression nested deeper than " + Wire.MAX_DEPTH + ")";
        }
        if (v instanceof RayList l) {
            if (l.length() > 0) {
                String name = functionName(l.get(0));
                if (name != null && (WRITES.contains(name) || name.startsWith(ADMIN_PREFIX) && !READ_ONLY_ADMIN.contains(name))) {
                    return name;
                }
            }
            for (int i = 0; i < l.length(); i++) {
                String w = firstWrite(l.get(i), depth + 1);
                if (w != null) {
                    return w;
                }
            }
        } else if (v instanceof RayDict d) {
            return firstWrite(d.values(), depth + 1);
        } else if (v instanceof io.rayforce.cluster.client.value.Lambda f) {
            String w = firstWrite(f.body(), depth + 1);
            return w != null || f.closure() == null ? w : firstWrite(f.closure(), depth + 1);
        } else if (v instanceof Name n && (WRITES.contains(n.name()) || n.name().startsWith(ADMIN_PREFIX)
                && !READ_ONLY_ADMIN.contains(n.name()))) {
            return n.name(); // a write function passed as a value, e.g. to map
        } else if (v instanceof Builtin b && WRITES.contains(b.name())) {
            return b.name();
        }
        return null;
    }

    private static String functionName(RayValue head) {
        return head instanceof Name n ? n.name() : head instanceof Builtin b ? b.name()
                : head instanceof Symbol s ? s.name() : null;
    }

    private static boolean isWriteFunction(RayValue head) {
        String name = head instanceof Name n ? n.name() : head instanceof Builtin b ? b.name()
                : head instanceof Symbol s ? s.name() : null;
        return name != null && (WRITES.contains(name) || name.startsWith(ADMIN_PREFIX));
    }
}
