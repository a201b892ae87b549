package io.rayforce.cluster.router.write;

import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.coordinator.meta.ClusterNaming.ShardRef;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.router.QueryOptions;
import io.rayforce.cluster.router.services.ClusterServices;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Replaces every row of an existing table with new rows in one copy-on-write write
 * ({@link StagedWrite}): ipcsave over a table whose layout the result would get anyway. Readers see
 * the old rows or the new ones, never no table and never a mix; a write that fails changes
 * nothing. The table keeps its creation epoch and spec; the new rows get new row sequence numbers
 * in row order.
 */
final class TableReplacer {
    private final WriteKit kit;

    TableReplacer(WriteKit kit) {
        this.kit = kit;
    }

    /**
     * Whether a table created with {@code wanted} would be laid out as {@code existing} is: the same
     * columns (names and types, in order), shard key, shard count, replication.
     */
    static boolean sameLayout(TableSpec existing, TableSpec wanted) {
        return existing.toBuilder().clearCreatedEpoch().clearSpecEpoch().build()
                .equals(wanted.toBuilder().clearCreatedEpoch().clearSpecEpoch().build());
    }

    /** Replaces the rows of {@code spec}'s table (as the caller saw it) with {@code rows}, which have exactly its columns. */
    void replace(TableSpec spec, RayTable rows, QueryOptions options, String what) {
        String table = spec.getName();
        int shardCount = Math.max(1, spec.getShardCount());
        List<Integer> shards = new ArrayList<>();
        List<ShardRef> refs = new ArrayList<>();
        for (int s = 0; s < shardCount; s++) {
            shards.add(s);
            refs.add(new ShardRef(table, s));
        }
        ClusterServices services = kit.services(what);
        try (TableWrite write = TableWrite.begin(kit, spec, options, what);
             LockedShards locked = LockedShards.lock(services, kit.placement, refs, WriteKit.timeout(options), what)) {
            locked.table(table, spec.getCreatedEpoch(), what);
            int n = rows.rowCount();
            Map<Integer, RayTable> parts = n == 0 ? Map.of()
                    : ShardParts.sequenced(ShardParts.split(spec, rows), services.reserve(table, n, what));
            new StagedWrite(kit).run(write, locked, table, spec.getCreatedEpoch(), shards,
                    (shard, global, staging) -> stage(global, staging, parts.get(shard), what), options, what, "set");
        }
    }

    /**
     * A shard's new table in its staging global: the shard's columns with no rows, then the part's
     * rows, set whole from the first chunk (so its columns carry the attribute bits of a table set
     * whole, as a new table's first load does) and appended from the others.
     */
    private static List<RayValue> stage(String shardGlobal, String staging, RayTable part, String what) {
        RayValue empty = RayList.of(Name.of("take"), Name.of(shardGlobal), I64Atom.of(0));
        if (part == null) {
            return List.of(Staging.stage(staging, empty));
        }
        List<RayValue> requests = new ArrayList<>();
        for (RayTable chunk : Chunks.of(part, what)) {
            requests.add(requests.isEmpty() ? Staging.stage(staging, RayList.of(Name.of("concat"), empty, chunk))
                    : InsertWriter.countOf(RayList.of(Name.of("insert"), Symbol.of(staging), chunk)));
        }
        return requests;
    }
}
