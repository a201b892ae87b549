package io.rayforce.cluster.router.write;

import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import java.util.Set;

/** The cluster tables an expression names. */
final class ClusterTables {
    private ClusterTables() {
    }

    /** Names (and quoted names) of cluster tables anywhere in {@code tree}, in order of appearance. */
    static Set<String> referenced(RayValue tree, ClusterSnapshot snapshot) {
        return io.rayforce.cluster.router.planner.Planner.referencedTables(tree, snapshot);
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

}
