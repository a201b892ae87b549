package io.rayforce.cluster.router.write;

import io.rayforce.cluster.client.query.Column;
import io.rayforce.cluster.client.query.Named;
import io.rayforce.cluster.client.query.Queries;
import io.rayforce.cluster.client.query.Query;
import io.rayforce.cluster.client.query.SelectQuery;
import io.rayforce.cluster.client.query.Table;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.coordinator.meta.ClusterNaming.ShardRef;
import io.rayforce.cluster.coordinator.meta.ClusterNaming;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.coordinator.store.TableLock;
import io.rayforce.cluster.router.QueryOptions;
import io.rayforce.cluster.router.exec.UnsupportedQueryError;
import io.rayforce.cluster.router.exec.QueryContext;
import io.rayforce.cluster.router.plan.PlanEnv;
import io.rayforce.cluster.router.plan.Repartition;
import io.rayforce.cluster.router.planner.Planner;
import io.rayforce.cluster.router.services.ClusterServices;
import io.rayforce.cluster.router.statement.Statement;
import io.rayforce.cluster.router.statement.Statements;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.IntStream;

/**
 * ipcsave: {@code (set name <query>)} stores the query's result as a new cluster table, replacing
 * a table of that name, and answers the whole result ({@code (count (set ...))}: its row count).
 *
 * <p>On the nodes, when the query allows: a plain select (where and row-wise projections, no by,
 * sort or take) over a cluster table. When its shard key survives the projection unchanged (or
 * all its rows sit on one shard), the new table is created beside the source and every replica
 * computes its shard's part from the source shard beside it; otherwise the rows are repartitioned
 * by the new table's key straight into its staging tables. Both swap in through the
 * copy-on-write {@link StagedWrite}, with the rows' {@code __seq} carried over, under the
 * source's read lock and the new table's write lock (docs/router.md, ipcsave). A table of that
 * name laid out as the result would be (and beside the source, unless the rows move) is not
 * dropped and created: its shards are staged and swapped in place.
 *
 * <p>Per shard through the router, when a new replica cannot sit beside its source shard: every
 * shard's part becomes the same shard of the new table (same shard count, same replication); the
 * parts are read under the source's read lock and shard locks, and written under the new table's
 * write lock and shard locks with a write intent; no shard's rows meet another's.
 *
 * <p>Otherwise merged: the result is computed through the read path and written back as a new
 * table with row sequence = row order; over an existing table of the layout it would get, the
 * table's rows are replaced in one write instead ({@link ShardRebuild}). Its layout: sharded on
 * the source's shard key when the result has that column, else on its first column that can be a shard key; with the source's
 * shard count and replication (the first cluster table the query names), or, with no source,
 * one shard per live node and replication 2 (capped at the live node count); replicated to
 * every node when the source is, or when no column can be a shard key.
 */
final class TableSaver {
    private final WriteKit kit;
    private final InsertWriter inserts;
    private final TableCreator creator;
    private final ShardRebuild rebuild;
    private final CopyForms copies;

    TableSaver(WriteKit kit, InsertWriter inserts, TableCreator creator, ShardRebuild rebuild, CopyForms copies) {
        this.kit = kit;
        this.inserts = inserts;
        this.creator = creator;
        this.rebuild = rebuild;
        this.copies = copies;
    }

    RayValue save(String name, RayValue tree, boolean countOnly, QueryOptions options) {
        String what = "set " + name;
        try {
            ClusterNaming.checkTableName(name);
        } catch (IllegalArgumentException e) {
            throw new UnsupportedQueryError(what + ": the cluster stores results as tables: " + e.getMessage());
        }
        ClusterSnapshot snapshot = kit.placement.snapshot();
        Optional<PerShard> plan = plan(name, tree, snapshot);
        if (plan.isPresent()) {
            OptionalLong rows = onNodes(name, plan.get(), options, what);
            if (rows.isPresent()) {
                // the parts never came through the router; the answer is the new table, as one server's (set ...) answers
                return countOnly ? I64Atom.of(rows.getAsLong()) : kit.read.read(Name.of(name), options);
            }
        }
        RayTable result = perShard(name, tree, snapshot, options, what).orElseGet(() -> merged(name, tree, snapshot, options, what));
        return countOnly ? I64Atom.of(result.rowCount()) : result;
    }

    /**
     * A per-shard save computed on the nodes. When the source's shard key survives (or all its rows
     * are on one shard), the new table is created beside its source (shard i on the nodes holding
     * LIVE replicas of the source's shard i), and, under the source's read lock and the new table's
     * write lock (taken in name order), every replica of every new shard computes its part from the
     * source shard it holds into a staging global; no row passes through the router. When the key
     * does not survive, the new table is sharded on the result's first column that can be a key,
     * and the result's rows are repartitioned by it ({@link Repartition}: in bounded chunks through
     * the router, each partition to a temporary on every replica of its new shard, sorted by the
     * carried sequence), from which each replica stages its shard. Either way all swap their
     * staging tables in at once ({@link StagedWrite}: an intent first, recovery if this router
     * dies). Empty when a replica of the new table could not be put beside its source shard (the
     * save then goes through the router); the new table's row count otherwise.
     */
    private OptionalLong onNodes(String name, PerShard plan, QueryOptions options, String what) {
        TableSpec source = plan.source().getSpec();
        String src = source.getName();
        SelectQuery s = plan.select();
        List<Named> proj = new ArrayList<>(s.projections());
        if (!proj.isEmpty()) {
            proj.add(Column.of(ClusterNaming.SEQ_COLUMN).named());
        }
        java.util.function.IntFunction<RayValue> part = x -> new SelectQuery(Table.of(ClusterNaming.shardGlobal(src, x)), proj,
                s.where(), List.of(), List.of(), null).ipc();
        // the result's columns and types, from no rows of one shard
        RayValue emptyPart = Repartition.slice(part.apply(0), ClusterNaming.shardGlobal(src, 0), 0, 0);
        RayValue typed = kit.readEach(kit.placement.snapshot(), src, List.of(0), Map.of(0, emptyPart), options).get(0);
        if (!(typed instanceof RayTable shapeWithSeq) || !shapeWithSeq.hasColumn(ClusterNaming.SEQ_COLUMN)) {
            return OptionalLong.empty();
        }
        RayTable shape = withoutSeq(shapeWithSeq);
        TableSpec.Builder spec = TableCreator.spec(name, shape, what)
                .setShardCount(source.getShardCount())
                .setReplicationFactor(source.getReplicationFactor())
                .setReplicatedToAll(source.getReplicatedToAll());
        if (!source.getReplicatedToAll()) {
            spec.setShardKey(plan.shardKey().isEmpty() ? firstShardable(shape) : plan.shardKey());
            if (spec.getShardKey().isEmpty()) {
                return OptionalLong.empty();
            }
        }
        TableSpec wanted = spec.build();
        Optional<TablePlacement> existing = kit.placement.snapshot().table(name);
        // over a table laid out as the result would be (and, unless the rows move, beside the source): its shards are
        // staged and swapped in place, where dropping it and creating it again cost two placement changes
        boolean inPlace = existing.isPresent() && ShardRebuild.sameLayout(existing.get().getSpec(), wanted)
                && (plan.moves() || beside(kit.placement.snapshot(), name, src,
                        IntStream.range(0, wanted.getShardCount()).boxed().toList()));
        TablePlacement created;
        if (inPlace) {
            created = existing.get();
        } else {
            creator.dropIfExists(name, what);
            created = creator.create(wanted, plan.moves() ? "" : src, what);
        }
        long createdEpoch = created.getSpec().getCreatedEpoch();
        List<Integer> shards = IntStream.range(0, created.getSpec().getShardCount()).boxed().toList();
        List<ShardRef> refs = shards.stream().map(x -> new ShardRef(name, x)).toList();
        ClusterServices services = kit.services(what);
        // two table locks: taken in name order, so two saves the other way round cannot hold one each
        boolean sourceFirst = src.compareTo(name) < 0;
        TableLock read = sourceFirst ? kit.readLocks.lock(List.of(src), options.timeout()) : null;
        try (TableWrite write = TableWrite.begin(kit, created.getSpec(), options, what)) {
            if (read == null) {
                read = kit.readLocks.lock(List.of(src), options.timeout());
            }
            try (LockedShards locked = LockedShards.lock(services, kit.placement, refs, WriteKit.timeout(options), what)) {
                locked.table(name, createdEpoch, what);
                ClusterSnapshot snap = locked.snapshot();
                TablePlacement now = snap.table(src).orElseThrow(() -> new UnsupportedQueryError(what + ": table " + src
                        + " was dropped meanwhile"));
                if (now.getSpec().getCreatedEpoch() != source.getCreatedEpoch()) {
                    throw new UnsupportedQueryError(what + ": table " + src + " was dropped and created again meanwhile");
                }
                if (now.getSpec().getShardCount() != source.getShardCount()) {
                    // a reshard switches under the source's write lock, so under its read lock the layout holds
                    throw new LayoutChangedError(what + ": table " + src + " was resharded from " + source.getShardCount()
                            + " to " + now.getSpec().getShardCount() + " shards while the save waited for its locks");
                }
                if (plan.moves()) {
                    repartitioned(write, locked, created.getSpec(), source, part, options, what);
                } else if (beside(snap, name, src, shards)) {
                    new StagedWrite(kit).run(write, locked, name, createdEpoch, shards,
                            (shard, global, staging) -> List.of(Staging.stage(staging, part.apply(shard))), options, what, "set");
                } else {
                    write.complete();
                    return OptionalLong.empty();
                }
                // rows inserted later come after the ones carried over
                services.advanceSequence(name, services.reserve(src, 0, what), what);
                Map<Integer, RayValue> counts = new LinkedHashMap<>();
                shards.forEach(x -> counts.put(x, RayList.of(Name.of("count"), Name.of(ClusterNaming.shardGlobal(name, x)))));
                long rows = 0;
                for (RayValue c : kit.readEach(snap, name, shards, counts, options)) {
                    rows += ((I64Atom) c).value();
                }
                return OptionalLong.of(rows);
            }
        } catch (WriteFailedError e) {
            // a table replaced in place is as it was: a failed staged write changes nothing
            throw inPlace ? e : new WriteFailedError(e.getMessage() + dropAfterFailure(name, what));
        } finally {
            if (read != null) {
                read.close();
            }
        }
    }

    /**
     * The result's rows repartitioned by the new table's shard key straight into the staging
     * tables of every writable replica of its shards (durable writes, journaled and replayed like
     * any write: a staging table must not depend on a temporary a restart would not bring back),
     * each sorted by the carried sequence; then swapped in ({@link StagedWrite}). When the rows
     * cannot all be placed, the staging tables are dropped and the write fails, nothing written.
     */
    private void repartitioned(TableWrite write, LockedShards locked, TableSpec target, TableSpec source,
                               java.util.function.IntFunction<RayValue> part, QueryOptions options, String what) {
        ClusterSnapshot snap = locked.snapshot();
        String name = target.getName();
        List<Integer> shards = IntStream.range(0, target.getShardCount()).boxed().toList();
        List<List<NodeInfo>> holders = new ArrayList<>();
        for (int shard : shards) {
            List<NodeInfo> on = new ArrayList<>();
            for (var r : snap.shard(name, shard).getReplicasList()) {
                NodeInfo n = snap.nodes().get(r.getNodeId());
                if (ReplicaWrites.writable(r) && n != null) {
                    on.add(n);
                }
            }
            if (on.isEmpty()) {
                throw new WriteFailedError(what + " failed: shard " + shard + " of the new table " + name
                        + " has no replica to write; nothing was written");
            }
            holders.add(on);
        }
        int width = 8 * (target.getColumnsCount() + 1);
        boolean[] fillFailed = {false};
        try {
            new StagedWrite(kit).run(write, locked, name, target.getCreatedEpoch(), shards, new StagedWrite.Stage() {
                private boolean filled;

                @Override
                public List<RayValue> requests(int shard, String shardGlobal, String stagingGlobal) {
                    if (!filled) {
                        filled = true;
                        String suffix = stagingGlobal.substring(shardGlobal.length());
                        fillFailed[0] = true;
                        fill(snap, target, source, part, holders, shards.stream().map(x -> Staging.global(name, x, suffix)).toList(),
                                width, suffix, options, what);
                        fillFailed[0] = false;
                    }
                    // each replica's staging table is filled: it only says how many rows it holds
                    return List.of(RayList.of(Name.of("count"), Name.of(stagingGlobal)));
                }
            }, options, what, "set");
        } catch (RuntimeException e) {
            if (fillFailed[0]) {
                write.complete(); // its staging tables are dropped: nothing was written, the intent is settled
            }
            throw e;
        }
    }

    private void fill(ClusterSnapshot snap, TableSpec target, TableSpec source, java.util.function.IntFunction<RayValue> part,
                      List<List<NodeInfo>> holders, List<String> staging, int width, String suffix, QueryOptions options,
                      String what) {
        Repartition rows = Repartition.intoStaging("rows of " + source.getName() + " for " + target.getName(), source.getName(),
                IntStream.range(0, source.getShardCount()).toArray(),
                (u, start, n) -> Repartition.slice(part.apply(u.shard()), u.global(), start, n), target.getShardKey(), holders,
                staging, ClusterNaming.SEQ_COLUMN, 0, Math.max(1, (64 << 10) / width));
        QueryContext ctx = new QueryContext(snap, options.timeout(), false);
        ctx.limitMemory(options.memoryBudgetBytes());
        try {
            WriteKit.await(rows.run(ctx, new PlanEnv(kit.executor, null, null)));
        } catch (RuntimeException e) {
            try {
                kit.recovery.dropStaging(snap, target.getName(), IntStream.range(0, target.getShardCount()).boxed().toList(), suffix,
                        options);
            } catch (RuntimeException dropped) {
                e.addSuppressed(dropped);
            }
            throw new WriteFailedError(what + " failed: the rows could not be placed on the new table's shards: " + e.getMessage()
                    + "; nothing was written");
        }
    }

    /** Whether every writable replica of every new shard sits on a node holding a LIVE replica of the source's same shard. */
    private static boolean beside(ClusterSnapshot snap, String name, String source, List<Integer> shards) {
        for (int shard : shards) {
            for (var r : snap.shard(name, shard).getReplicasList()) {
                if (ReplicaWrites.writable(r) && !io.rayforce.cluster.router.exec.ReplicaChoice.holds(snap, source, shard,
                        r.getNodeId())) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The plan of a per-shard save: the source, the select, and the new table's shard key; with
     * {@code moves}, the source's shard key does not survive the projection, so the rows must be
     * repartitioned by the new table's key ({@code shardKey} then empty: the result's first
     * column that can be one).
     */
    private record PerShard(TablePlacement source, SelectQuery select, String shardKey, boolean moves) {
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
        // without the key, the rows would have to move between shards: repartitioned on the way (or merged)
        boolean moves = key == null && !MutationRules.allTogether(spec);
        return Optional.of(new PerShard(source, s, key == null ? "" : key, moves));
    }

    private Optional<RayTable> perShard(String name, RayValue tree, ClusterSnapshot snapshot, QueryOptions options, String what) {
        Optional<PerShard> plan = plan(name, tree, snapshot).filter(p -> !p.moves());
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
        try (TableWrite write = TableWrite.begin(kit, spec, options, what);
             LockedShards locked = LockedShards.lock(services, kit.placement, refs, WriteKit.timeout(options), what)) {
            locked.table(name, spec.getCreatedEpoch(), what);
            inserts.appendRecorded(write, locked, spec, byShard, minSeq, maxSeq, options, what, "set", InsertWriter.Shape.NEW_TABLE);
        } catch (WriteFailedError e) {
            throw new WriteFailedError(e.getMessage() + dropAfterFailure(name, what));
        }
    }

    private RayTable merged(String name, RayValue tree, ClusterSnapshot snapshot, QueryOptions options, String what) {
        // a write function applied to a table by name (delete {from: t ...}) answers a changed copy, as it does alone
        Optional<Statement> copyForm = Statements.recognize(tree, snapshot).filter(s -> s instanceof Statement.CopyForm);
        RayValue value = copyForm.isPresent() ? copies.evaluate(tree, ((Statement.CopyForm) copyForm.get()).table(), options)
                : kit.read.read(tree, options);
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
        TableSpec wanted = spec.build();
        Optional<TablePlacement> existing = kit.placement.snapshot().table(name);
        if (existing.isPresent() && ShardRebuild.sameLayout(existing.get().getSpec(), wanted)) {
            // laid out as the result would be: its rows replaced in one write, readers never see no table
            rebuild.replace(existing.get().getSpec(), result, options, what);
            return result;
        }
        creator.dropIfExists(name, what);
        TablePlacement created = creator.create(wanted, what);
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
