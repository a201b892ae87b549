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

    private static boolean isWriteFunction(RayValue head) {
        String name = head instanceof Name n ? n.name() : head instanceof Builtin b ? b.name()
                : head instanceof Symbol s ? s.name() : null;
        return name != null && (WRITES.contains(name) || name.startsWith(ADMIN_PREFIX));
    }
}
