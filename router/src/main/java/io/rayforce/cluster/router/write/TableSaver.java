package io.rayforce.cluster.router.write;

import io.rayforce.cluster.client.query.Column;
import io.rayforce.cluster.client.query.Named;
import io.rayforce.cluster.client.query.Queries;
import io.rayforce.cluster.client.query.Query;
import io.rayforce.cluster.client.query.SelectQuery;
import io.rayforce.cluster.client.query.Table;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.coordinator.meta.ClusterNaming.ShardRef;
import io.rayforce.cluster.coordinator.meta.ClusterNaming;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.coordinator.store.TableLock;
import io.rayforce.cluster.router.QueryOptions;
import io.rayforce.cluster.router.exec.UnsupportedQueryError;
import io.rayforce.cluster.router.planner.Planner;
import io.rayforce.cluster.router.services.ClusterServices;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * ipcsave: {@code (set name <query>)} stores the query's result as a new cluster table, replacing
 * a table of that name, and answers the whole result ({@code (count (set ...))}: its row count).
 *
 * <p>Per shard, when the query allows: a plain select (where and row-wise projections, no by,
 * sort or take) over a cluster table whose shard key survives the projection unchanged (or a
 * table whose rows all sit on one shard). Every shard's part becomes the same shard of the new
 * table (same shard count, same replication), with the rows' {@code __seq} carried over; the
 * parts are read under the source's read lock and shard locks, and written under the new table's
 * write lock and shard locks with a write intent; no shard's rows meet another's.
 *
 * <p>Otherwise merged: the result is computed through the read path and written back as a new
 * table with row sequence = row order. Its layout: sharded on the source's shard key when the
 * result has that column, else on its first column that can be a shard key; with the source's
 * shard count and replication (the first cluster table the query names), or, with no source,
 * one shard per live node and replication 2 (capped at the live node count); replicated to
 * every node when the source is, or when no column can be a shard key.
 */
final class TableSaver {
    private final WriteKit kit;
    private final InsertWriter inserts;
    private final TableCreator creator;

    TableSaver(WriteKit kit, InsertWriter inserts, TableCreator creator) {
        this.kit = kit;
        this.inserts = inserts;
        this.creator = creator;
    }

    RayValue save(String name, RayValue tree, boolean countOnly, QueryOptions options) {
        String what = "set " + name;
        try {
            ClusterNaming.checkTableName(name);
        } catch (IllegalArgumentException e) {
            throw new UnsupportedQueryError(what + ": the cluster stores results as tables: " + e.getMessage());
        }
        ClusterSnapshot snapshot = kit.placement.snapshot();
        RayTable result = perShard(name, tree, snapshot, options, what).orElseGet(() -> merged(name, tree, snapshot, options, what));
        return countOnly ? I64Atom.of(result.rowCount()) : result;
    }

    /** The plan of a per-shard save: the source, the select, and the new table's shard key. */
    private record PerShard(TablePlacement source, SelectQuery select, String shardKey) {
    }

    private static Optional<PerShard> plan(String target, RayValue tree, ClusterSnapshot snapshot) {
        Optional<Query> q = Queries.parse(tree);
        if (q.isEmpty() || !(q.get() instanceof SelectQuery s) || !(s.from() instanceof Table t) || t.name().equals(target)
                || snapshot.table(t.name()).isEmpty() || !s.by().isEmpty() || !s.order().isEmpty() || s.take() != null) {
            return Optional.empty();
        }
        TablePlacement source = snapshot.table(t.name()).get();
        TableSpec spec = source.getSpec();
        if (s.where() != null && (!MutationRules.isRowWise(s.where()) || !MutationRules.plainNames(s.where(), spec, snapshot))) {
            return Optional.empty();
        }
        String key = s.projections().isEmpty() ? spec.getShardKey() : null;
        for (Named p : s.projections()) {
            if (p.name().startsWith("__") || !MutationRules.isRowWise(p.expr()) || !MutationRules.plainNames(p.expr(), spec, snapshot)) {
                return Optional.empty();
            }
            if (key == null && p.expr() instanceof Column c && c.name().equals(spec.getShardKey()) && !spec.getShardKey().isEmpty()) {
                key = p.name();
            }
        }
        if (key == null && !MutationRules.allTogether(spec)) {
            return Optional.empty(); // the rows would have to move between shards
        }
        return Optional.of(new PerShard(source, s, key == null ? "" : key));
    }

    private Optional<RayTable> perShard(String name, RayValue tree, ClusterSnapshot snapshot, QueryOptions options, String what) {
        Optional<PerShard> plan = plan(name, tree, snapshot);
        if (plan.isEmpty()) {
            return Optional.empty();
        }
        TableSpec source = plan.get().source().getSpec();
        SelectQuery s = plan.get().select();
        List<Named> proj = new ArrayList<>(s.projections());
        if (!proj.isEmpty()) {
            proj.add(Column.of(ClusterNaming.SEQ_COLUMN).named());
        }
        List<Integer> shards = IntStream.range(0, source.getShardCount()).boxed().toList();
        List<ShardRef> sourceRefs = shards.stream().map(x -> new ShardRef(source.getName(), x)).toList();
        ClusterServices services = kit.services(what);
        List<RayTable> parts = new ArrayList<>();
        // the source's parts as of one moment: under its read lock (no write in progress) and its shard locks,
        // which this router's write lease of the source holds already when the read went through the lease
        try (TableLock read = kit.readLocks.lock(List.of(source.getName()), options.timeout());
             LockedShards locked = kit.leases.heldHere(source.getName()) ? LockedShards.held(kit.placement)
                     : LockedShards.lock(services, kit.placement, sourceRefs, WriteKit.timeout(options), what)) {
            locked.table(source.getName(), source.getCreatedEpoch(), what);
            Map<Integer, RayValue> requests = new LinkedHashMap<>();
            for (int x : shards) {
                requests.put(x, new SelectQuery(Table.of(ClusterNaming.shardGlobal(source.getName(), x)), proj, s.where(),
                        List.of(), List.of(), null).ipc());
            }
            for (RayValue v : kit.readEach(locked.snapshot(), source.getName(), shards, requests, options)) {
                if (!(v instanceof RayTable t) || (!parts.isEmpty() && !DataNormalizer.sameShape(t, parts.get(0)))) {
                    return Optional.empty(); // shards disagree on the result's shape: compute it merged
                }
                parts.add(t);
            }
        }
        RayTable shape = withoutSeq(parts.get(0));
        TableSpec.Builder spec = TableCreator.spec(name, shape, what)
                .setShardCount(source.getShardCount())
                .setReplicationFactor(source.getReplicationFactor())
                .setReplicatedToAll(source.getReplicatedToAll());
        String key = plan.get().shardKey();
        if (!source.getReplicatedToAll()) {
            spec.setShardKey(key.isEmpty() ? firstShardable(shape) : key);
            if (spec.getShardKey().isEmpty()) {
                return Optional.empty();
            }
        }
        creator.dropIfExists(name, what);
        TablePlacement created = creator.create(spec.build(), what);
        fill(created.getSpec(), parts, options, what);
        return Optional.of(mergeBySeq(parts));
    }

    /** Writes shard i's part into shard i of the new table; drops the table again when that fails. */
    private void fill(TableSpec spec, List<RayTable> parts, QueryOptions options, String what) {
        String name = spec.getName();
        List<ShardRef> refs = new ArrayList<>();
        Map<Integer, RayTable> byShard = new LinkedHashMap<>();
        long maxSeq = -1;
        long minSeq = Long.MAX_VALUE;
        for (int i = 0; i < parts.size(); i++) {
            RayTable p = parts.get(i);
            if (p.rowCount() > 0) {
                byShard.put(i, p);
                refs.add(new ShardRef(name, i));
                I64Vector seq = (I64Vector) p.column(ClusterNaming.SEQ_COLUMN);
                for (int r = 0; r < seq.length(); r++) {
                    maxSeq = Math.max(maxSeq, seq.get(r));
                    minSeq = Math.min(minSeq, seq.get(r));
                }
            }
        }
        ClusterServices services = kit.services(what);
        services.advanceSequence(name, maxSeq + 1, what);
        if (byShard.isEmpty()) {
            return;
        }
        try (TableWrite write = TableWrite.begin(kit, name, options, what);
             LockedShards locked = LockedShards.lock(services, kit.placement, refs, WriteKit.timeout(options), what)) {
            locked.table(name, spec.getCreatedEpoch(), what);
            inserts.appendRecorded(write, locked, spec, byShard, minSeq, maxSeq, options, what, "set");
        } catch (WriteFailedError e) {
            throw new WriteFailedError(e.getMessage() + dropAfterFailure(name, what));
        }
    }

    private RayTable merged(String name, RayValue tree, ClusterSnapshot snapshot, QueryOptions options, String what) {
        RayValue value = kit.read.read(tree, options);
        if (!(value instanceof RayTable result)) {
            throw new UnsupportedQueryError(what + ": the cluster stores only tables, and the value is a "
                    + value.type().rayfallName());
        }
        TableSpec.Builder spec = TableCreator.spec(name, result, what);
        TableSpec source = Planner.referencedTables(tree, snapshot).stream().findFirst()
                .flatMap(snapshot::table).map(TablePlacement::getSpec).orElse(null);
        int nodes = Math.max(1, snapshot.nodes().size());
        int shards = source != null ? source.getShardCount() : nodes;
        int replication = Math.min(nodes, source != null ? source.getReplicationFactor() : 2);
        String key = source != null && !source.getShardKey().isEmpty() && result.hasColumn(source.getShardKey())
                && SpecTypes.shardable(SpecTypes.of(result.column(source.getShardKey())))
                ? source.getShardKey() : firstShardable(result);
        if ((source != null && source.getReplicatedToAll()) || key.isEmpty()) {
            spec.setReplicatedToAll(true).setShardCount(1).setReplicationFactor(1);
        } else {
            spec.setShardKey(key).setShardCount(Math.max(1, shards)).setReplicationFactor(Math.max(1, replication));
        }
        creator.dropIfExists(name, what);
        TablePlacement created = creator.create(spec.build(), what);
        try {
            inserts.append(created.getSpec(), result, options, what);
        } catch (RuntimeException e) {
            throw new WriteFailedError(e.getMessage() + dropAfterFailure(name, what));
        }
        return result;
    }

    private String dropAfterFailure(String name, String what) {
        try {
            creator.dropIfExists(name, what);
            return "; the new table " + name + " was dropped again";
        } catch (RuntimeException e) {
            return "; the new table " + name + " is incomplete and could not be dropped: " + e.getMessage();
        }
    }

    /** The first column whose type can be a shard key, or "" when none can. */
    private static String firstShardable(RayTable t) {
        for (int i = 0; i < t.columnCount(); i++) {
            if (SpecTypes.shardable(SpecTypes.of(t.column(i)))) {
                return t.columnNames().get(i);
            }
        }
        return "";
    }

    private static RayTable withoutSeq(RayTable t) {
        List<String> names = new ArrayList<>(t.columnNames());
        List<Vector> cols = new ArrayList<>(t.columns());
        int i = names.indexOf(ClusterNaming.SEQ_COLUMN);
        names.remove(i);
        cols.remove(i);
        return RayTable.of(names, cols);
    }

    /** The parts' rows in {@code __seq} order, without {@code __seq}: what the select gives on one server. */
    static RayTable mergeBySeq(List<RayTable> parts) {
        List<String> names = parts.get(0).columnNames();
        List<Vector> cols = new ArrayList<>();
        for (int c = 0; c < names.size(); c++) {
            int col = c;
            cols.add(Vector.concat(parts.stream().map(p -> p.column(col)).toList()));
        }
        RayTable all = RayTable.of(names, cols);
        I64Vector seq = (I64Vector) all.column(ClusterNaming.SEQ_COLUMN);
        int[] order = IntStream.range(0, all.rowCount()).boxed().sorted(Comparator.comparingLong(seq::get))
                .mapToInt(Integer::intValue).toArray();
        return withoutSeq(all.gather(order));
    }
}
