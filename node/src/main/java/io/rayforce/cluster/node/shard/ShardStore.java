package io.rayforce.cluster.node.shard;

import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.coordinator.meta.ClusterNaming;
import io.rayforce.cluster.coordinator.proto.ShardInfo;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.node.engine.LocalEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shard tables on the node's own engine: create, drop, list and size them. Shard {@code s}
 * of table {@code t} is the global {@code t__s} ({@link ClusterNaming#shardGlobal}); a copy in
 * progress fills the staging global {@code t__s__copy} ({@link #stagingGlobal}), which is never
 * listed as a shard.
 */
public final class ShardStore {
    private static final Logger log = LoggerFactory.getLogger(ShardStore.class);
    static final String STAGING_SUFFIX = ClusterNaming.COPY_SUFFIX;

    private final LocalEngine engine;

    public ShardStore(LocalEngine engine) {
        this.engine = engine;
    }

    public static String stagingGlobal(String table, int shard) {
        return ClusterNaming.shardGlobal(table, shard) + STAGING_SUFFIX;
    }

    /**
     * Creates shard {@code shard} of {@code spec} as an empty table, atomically (one engine
     * request). Idempotent: an existing shard with the same schema is kept as it is.
     *
     * @throws SchemaMismatchException when the shard exists with other columns
     */
    public ShardInfo create(TableSpec spec, int shard) {
        checkShard(shard);
        ShardSchema schema = ShardSchema.of(spec);
        String global = ClusterNaming.shardGlobal(spec.getName(), shard);
        TCPClient c = engine.client();
        RayValue created = c.execute("(if (== (type (resolve '" + global + ")) 'null) (count (set " + global + " "
                + schema.emptyTableExpression() + ")) -1)");
        EngineTables.Columns existing = EngineTables.columns(c, global)
                .orElseThrow(() -> new SchemaMismatchException("global " + global + " exists and is not a table"));
        if (!schema.matches(existing.names(), existing.types())) {
            throw new SchemaMismatchException("shard " + global + " already exists with columns " + existing
                    + ", not " + ShardSchema.describe(schema.names(), schema.types()));
        }
        if (created instanceof I64Atom a && a.value() == 0) {
            log.info("created shard {} {}", global, schema);
        }
        return info(spec.getName(), shard).orElseThrow();
    }

    /**
     * Drops the shard, with the write lease state beside it (its record {@code t__s__a} and pending
     * table {@code t__s__p}, docs/router.md): a replica placed on this node again later starts from
     * its copy, not from what an earlier lease left here. Callers hold the shard's lock or know that
     * no write can reach this replica. False when the shard was not there.
     */
    public boolean drop(String table, int shard) {
        checkShard(shard);
        ClusterNaming.checkTableName(table);
        String global = ClusterNaming.shardGlobal(table, shard);
        RayValue r = engine.client().execute(deleteIfBound(ClusterNaming.pendingGlobal(table, shard)) + " "
                + deleteIfBound(ClusterNaming.recordGlobal(table, shard))
                + " (if (== (type (resolve '" + global + ")) 'TABLE) (del " + global + ") -1)");
        boolean dropped = r instanceof I64Atom a && a.value() == 0;
        if (dropped) {
            log.info("dropped shard {}", global);
        }
        return dropped;
    }

    /** {@code (del g)} when the global is bound, in one statement that answers 0 either way. */
    static String deleteIfBound(String global) {
        return "(if (== (type (resolve '" + global + ")) 'null) 0 (del " + global + "))";
    }

    /** Rows and bytes of one shard, or empty when the engine does not hold it. */
    public Optional<ShardInfo> info(String table, int shard) {
        List<ShardInfo> found = sizes(List.of(new ClusterNaming.ShardRef(table, shard)));
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** Every shard table on the engine, in name order. */
    public List<ShardInfo> list() {
        List<ClusterNaming.ShardRef> refs = new ArrayList<>();
        for (String g : globalsNamed("*__*")) {
            ClusterNaming.ShardRef ref = ClusterNaming.parseShardGlobal(g);
            if (ref != null) {
                refs.add(ref);
            }
        }
        refs.sort((a, b) -> a.table().equals(b.table()) ? Integer.compare(a.shard(), b.shard()) : a.table().compareTo(b.table()));
        return sizes(refs);
    }

    /**
     * Deletes staging globals left by copies that never finished (the agent died mid-copy; the
     * journal replayed the partial copy). Returns their names.
     */
    public List<String> dropStaging() {
        List<String> dropped = new ArrayList<>();
        for (String g : globalsNamed("*" + STAGING_SUFFIX)) {
            engine.client().execute("(del " + g + ")");
            dropped.add(g);
        }
        if (!dropped.isEmpty()) {
            log.info("dropped unfinished shard copies {}", dropped);
        }
        return dropped;
    }

    /** Live data the engine holds, in bytes ({@code bytes-allocated + direct-bytes} of {@code (.sys.mem)}). */
    public long engineBytes() {
        RayDict mem = (RayDict) engine.client().executeReadOnly("(.sys.mem)");
        return longOf(mem.get("bytes-allocated")) + longOf(mem.get("direct-bytes"));
    }

    private static long longOf(RayValue v) {
        return v instanceof I64Atom a ? a.value() : 0;
    }

    private List<String> globalsNamed(String pattern) {
        RayValue v = engine.client().executeReadOnly("(filter (key (env 0)) (like (key (env 0)) \"" + pattern + "\"))");
        return v instanceof SymbolVector s ? s.toList() : EngineTables.symbols(v);
    }

    private List<ShardInfo> sizes(List<ClusterNaming.ShardRef> refs) {
        List<ShardInfo> out = new ArrayList<>();
        if (refs.isEmpty()) {
            return out;
        }
        List<String> names = new ArrayList<>();
        refs.forEach(r -> names.add(ClusterNaming.shardGlobal(r.table(), r.shard())));
        RayList sizes = (RayList) engine.client().executeReadOnly("(map (fn [n] (if (== (type (resolve n)) 'TABLE) "
                + "(list (count (resolve n)) (.mem.objsize (resolve n))) (list -1 -1))) [" + String.join(" ", names) + "])");
        for (int i = 0; i < refs.size(); i++) {
            RayList rowsBytes = (RayList) sizes.get(i);
            long rows = longOf(rowsBytes.get(0));
            if (rows < 0) {
                continue;
            }
            out.add(ShardInfo.newBuilder().setTable(refs.get(i).table()).setShard(refs.get(i).shard())
                    .setGlobalName(names.get(i)).setRows(rows).setBytes(longOf(rowsBytes.get(1))).build());
        }
        return out;
    }

    static void checkShard(int shard) {
        if (shard < 0) {
            throw new IllegalArgumentException("shard must not be negative, got " + shard);
        }
    }
}
