package io.rayforce.cluster.router.write;

import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import java.util.LinkedHashSet;
import java.util.Set;

/** The cluster tables an expression names. */
final class ClusterTables {
    private ClusterTables() {
    }

    /** Names (and quoted names) of cluster tables anywhere in {@code tree}, in order of appearance. */
    static Set<String> referenced(RayValue tree, ClusterSnapshot snapshot) {
        Set<String> out = new LinkedHashSet<>();
        collect(tree, snapshot, out, 0);
        return out;
    }

    /**
     * {@code tree} with every name of a cluster table replaced by a neutral name, for checks that
     * would take a table named like a builtin (the engine has one called {@code t}) for the builtin.
     */
    static RayValue masked(RayValue tree, ClusterSnapshot snapshot) {
        if (tree instanceof Name n && snapshot.table(n.name()).isPresent()) {
            return Name.of("cluster_table");
        }
        if (tree instanceof RayList l) {
            java.util.List<RayValue> items = new java.util.ArrayList<>(l.length());
            for (int i = 0; i < l.length(); i++) {
                items.add(masked(l.get(i), snapshot));
            }
            return RayList.of(items);
        }
        if (tree instanceof RayDict d) {
            return new RayDict(d.keys(), masked(d.values(), snapshot));
        }
        return tree;
    }

    private static void collect(RayValue v, ClusterSnapshot snapshot, Set<String> out, int depth) {
        if (depth > 512) {
            return;
        }
        if (v instanceof Name n && snapshot.table(n.name()).isPresent()) {
            out.add(n.name());
        } else if (v instanceof Symbol s && snapshot.table(s.name()).isPresent()) {
            out.add(s.name());
        } else if (v instanceof RayList l) {
            for (int i = 0; i < l.length(); i++) {
                collect(l.get(i), snapshot, out, depth + 1);
            }
        } else if (v instanceof RayDict d) {
            collect(d.values(), snapshot, out, depth + 1);
        }
    }
}
