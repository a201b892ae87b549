package io.rayforce.cluster.router.write;

import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.router.QueryOptions;
import io.rayforce.cluster.router.exec.ClusterQueryError;
import io.rayforce.cluster.router.planner.Planner;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Write functions applied to a cluster table by name rather than in place ({@code (insert t
 * rows)}, {@code (update {... from: t})}, ...): they change nothing and answer a changed copy.
 * The router fetches the tables the expression names (each in insertion order) and evaluates
 * it on its scratch engine, exactly as one server would.
 */
final class CopyForms {
    private final WriteKit kit;

    CopyForms(WriteKit kit) {
        this.kit = kit;
    }

    RayValue evaluate(RayValue tree, QueryOptions options) {
        ClusterSnapshot snapshot = kit.placement.snapshot();
        Map<String, RayTable> tables = new LinkedHashMap<>();
        for (String t : Planner.referencedTables(tree, snapshot)) {
            RayValue v = kit.read.read(Name.of(t), options);
            if (!(v instanceof RayTable table)) {
                throw new ClusterQueryError("cluster table " + t + " was read as a " + v.type().rayfallName());
            }
            tables.put(t, table);
        }
        return kit.scratch.evaluate(kit.context(snapshot, options), tables, tree);
    }
}
