package io.rayforce.cluster.router.exec;

import io.rayforce.cluster.client.ipc.Wire;
import io.rayforce.cluster.client.rayfall.TreeWalk;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.coordinator.meta.ClusterNaming;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Tells a replica that lacks a shard from a query that names something undefined: both make the
 * engine answer {@code name}. Asked of the replica that answered, on the same connection:
 * {@code (list (type (resolve 't__3)) ...)} for every shard global the request names, each of
 * which must be a table there.
 */
final class ShardProbe {
    private ShardProbe() {
    }

    /** The shard globals {@code request} names, in order of appearance. */
    static List<String> shardGlobals(RayValue request) {
        Set<String> out = new LinkedHashSet<>();
        TreeWalk.walk(request, (node, path) -> {
            String n = node instanceof Name name ? name.name() : node instanceof Symbol s ? s.name() : null;
            if (n != null && ClusterNaming.isClusterGlobal(n)) {
                out.add(n);
            }
            return true;
        });
        return new ArrayList<>(out);
    }

    /** The probe request: the type of each global's value on the engine ({@code null} when unbound). */
    static RayValue request(List<String> globals) {
        List<RayValue> items = new ArrayList<>();
        items.add(Name.of("list"));
        for (String g : globals) {
            items.add(RayList.of(Name.of("type"), RayList.of(Name.of("resolve"), Symbol.of(g))));
        }
        return RayList.of(items);
    }

    /** Whether every answer of {@link #request} says TABLE. */
    static boolean allTables(RayValue answer, int expected) {
        List<String> types = new ArrayList<>();
        if (answer instanceof SymbolVector sv) {
            types.addAll(sv.toList());
        } else if (answer instanceof RayList l) {
            for (int i = 0; i < l.length(); i++) {
                types.add(l.get(i) instanceof Symbol s ? s.name() : "?");
            }
        }
        return types.size() == expected && types.stream().allMatch("TABLE"::equals);
    }

    /** Completes with whether the replica behind {@code lease} holds every shard global of {@code request}. */
    static CompletableFuture<Boolean> holdsAll(NodeConnections.Lease lease, RayValue request, long timeoutMillis) {
        List<String> globals = shardGlobals(request);
        if (globals.isEmpty()) {
            return CompletableFuture.completedFuture(true);
        }
        return lease.connection().request(request(globals), timeoutMillis, Wire.FLAG_RESTRICTED)
                .thenApply(answer -> allTables(answer, globals.size()));
    }
}
