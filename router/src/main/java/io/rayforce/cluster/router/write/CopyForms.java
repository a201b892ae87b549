package io.rayforce.cluster.router.write;

import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.router.QueryOptions;
import io.rayforce.cluster.router.exec.ClusterQueryError;
import io.rayforce.cluster.router.planner.Planner;
import io.rayforce.cluster.router.planner.Schemas;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

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

    /**
     * @param table the cluster table the write function is applied to: inside the query its own
     *              columns shadow cluster tables of the same names ({@code where: (== k 2)} reads
     *              column k even when a table k exists), so those are not fetched
     */
    RayValue evaluate(RayValue tree, String table, QueryOptions options) {
        ClusterSnapshot snapshot = kit.placement.snapshot();
        Set<String> columns = snapshot.table(table).map(t -> Set.copyOf(Schemas.columnNames(t.getSpec()))).orElse(Set.of());
        Map<String, RayTable> tables = new LinkedHashMap<>();
        for (String t : Planner.referencedTables(tree, snapshot)) {
            if (!t.equals(table) && columns.contains(t)) {
                continue;
            }
            RayValue v = kit.read.read(Name.of(t), options);
            if (!(v instanceof RayTable rows)) {
                throw new ClusterQueryError("cluster table " + t + " was read as a " + v.type().rayfallName());
            }
            tables.put(t, rows);
        }
        return kit.scratch.evaluate(kit.context(snapshot, options), tables, tree);
    }
}
