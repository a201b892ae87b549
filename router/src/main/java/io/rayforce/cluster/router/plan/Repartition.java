package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.ipc.ValueWriter;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.coordinator.meta.ClusterNaming;
import io.rayforce.cluster.coordinator.meta.ShardFunction;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.router.exec.ClusterQueryError;
import io.rayforce.cluster.router.exec.QueryContext;
import io.rayforce.cluster.router.exec.UnitId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One side of a shuffle: the rows of a table's shards, read in bounded chunks and each row
 * appended to the partition its key hashes to ({@link ShardFunction}, so a partition of a
 * table's own shard count is that table's shard), as a query temporary on the partition's
 * node ({@link ClusterNaming#temporaryGlobal}). Rows pass through the router a chunk at a time:
 * each chunk is charged to the query's memory budget while the router holds it (it and its
 * pieces) and given back once every piece is appended, so the router never holds more than a
 * few chunks whatever the table's size. Chunk sizes adapt to the bytes each row turned out to
 * take (a filter that keeps few rows reads more of them per chunk).
 *
 * <p>Its value is a table {@code partition node temporary rows}: where each partition is and how
 * many rows it got. Every partition exists (typed, possibly empty) once it completes; with
 * {@code sortBy}, each is sorted by that column (the side's row sequence: insertion order, which
 * a join's ties depend on). It does not remove its temporaries: {@link DropTemporaries} does,
 * whatever became of the query. It completes only when none of its requests is still running,
 * so nothing it sent can land after the drop.
 */
public final class Repartition implements Plan {
    /** The request for the side's rows among rows {@code [start, start + n)} of a unit's shard. */
    @FunctionalInterface
    public interface ChunkRequest {
        RayValue of(UnitId unit, long start, long n);
    }

    /** Shards streamed at once. */
    static final int STREAMS = 2;
    /** Chunk sizes: between these, by default a sixteenth of the query's memory budget. */
    static final long MIN_CHUNK_BYTES = 64L << 10;
    static final long MAX_CHUNK_BYTES = 16L << 20;
    private static final long MAX_CHUNK_ROWS = 1L << 22;

    private final String side;
    private final String table;
    private final int[] shards;
    private final ChunkRequest rows;
    private final String key;
    private final List<NodeInfo> nodes;
    /** Every node each partition goes to (the first is {@link #nodes()}'s): more than one to fill every replica of a shard. */
    private final List<List<NodeInfo>> holders;
    private final String part;
    /** The cluster globals the partitions go to, written durably; null for temporaries. */
    private final List<String> durableGlobals;
    private final String sortBy;
    private final long chunkBytes;
    private final long firstChunkRows;

    /**
     * @param side      what is repartitioned, for explain and errors ("right side quotes")
     * @param key       the column of the side's rows whose value picks the partition
     * @param nodes     the node of each partition (partition i on {@code nodes.get(i)})
     * @param part      the temporaries' part prefix, unique in the query ({@code [a-z][a-z0-9]*})
     * @param sortBy    the column each partition is sorted by once full, or null
     * @param chunkBytes the target size of a chunk, or 0 for a sixteenth of the memory budget
     */
    public Repartition(String side, String table, int[] shards, ChunkRequest rows, String key, List<NodeInfo> nodes,
                       String part, String sortBy, long chunkBytes, long firstChunkRows) {
        this(side, table, shards, rows, key, new Holders(nodes.stream().map(List::of).toList()), part, sortBy, chunkBytes,
                firstChunkRows);
    }

    /**
     * As the constructor, each partition written to every node of {@code holders.get(i)} (the same
     * rows on each: every replica of a new table's shard, say); the first of them is its node for
     * {@link PartitionRoute}.
     */
    public static Repartition toEvery(String side, String table, int[] shards, ChunkRequest rows, String key,
                                      List<List<NodeInfo>> holders, String part, String sortBy, long chunkBytes, long firstChunkRows) {
        return new Repartition(side, table, shards, rows, key, new Holders(holders), part, sortBy, chunkBytes, firstChunkRows);
    }

    /**
     * As {@link #toEvery}, into the cluster's own globals {@code into} (partition i into
     * {@code into.get(i)}: a write's staging tables), written as durable writes (journaled and
     * replayed like any write) instead of temporaries. Its caller drops them when the write fails.
     */
    public static Repartition intoStaging(String side, String table, int[] shards, ChunkRequest rows, String key,
                                          List<List<NodeInfo>> holders, List<String> into, String sortBy, long chunkBytes,
                                          long firstChunkRows) {
        return new Repartition(side, table, shards, rows, key, new Holders(holders), "w", sortBy, chunkBytes, firstChunkRows,
                List.copyOf(into));
    }

    /** The nodes of each partition. */
    private record Holders(List<List<NodeInfo>> of) {
    }

    private Repartition(String side, String table, int[] shards, ChunkRequest rows, String key, Holders partitionHolders,
                        String part, String sortBy, long chunkBytes, long firstChunkRows) {
        this(side, table, shards, rows, key, partitionHolders, part, sortBy, chunkBytes, firstChunkRows, null);
    }

    private Repartition(String side, String table, int[] shards, ChunkRequest rows, String key, Holders partitionHolders,
                        String part, String sortBy, long chunkBytes, long firstChunkRows, List<String> durableGlobals) {
        List<List<NodeInfo>> holders = partitionHolders.of();
        this.durableGlobals = durableGlobals;
        if (durableGlobals != null && (durableGlobals.size() != holders.size()
                || !durableGlobals.stream().allMatch(ClusterNaming::isClusterGlobal))) {
            throw new IllegalArgumentException("one cluster global per partition: " + durableGlobals);
        }
        List<NodeInfo> nodes = holders.stream().map(h -> h.get(0)).toList();
        if (shards.length == 0 || nodes.isEmpty()) {
            throw new IllegalArgumentException("a repartition needs shards to read and nodes to write");
        }
        this.side = side;
        this.table = table;
        this.shards = shards.clone();
        this.rows = rows;
        this.key = key;
        this.nodes = List.copyOf(nodes);
        this.holders = holders.stream().map(List::copyOf).toList();
        this.part = part;
        this.sortBy = sortBy;
        this.chunkBytes = chunkBytes;
        this.firstChunkRows = Math.max(1, firstChunkRows);
        ClusterNaming.temporaryGlobal("0000000000000000", part + nodes.size()); // the names are valid
    }

    /** How many partitions the rows go to. */
    public int partitions() {
        return nodes.size();
    }

    public List<NodeInfo> nodes() {
        return nodes;
    }

    public String table() {
        return table;
    }

    public int[] shards() {
        return shards.clone();
    }

    /** The request reading a chunk (for explain and estimates). */
    public ChunkRequest rows() {
        return rows;
    }

    /** The temporary (or the durable global) holding partition {@code p} in query {@code ctx}. */
    public String temporary(QueryContext ctx, int p) {
        return durableGlobals != null ? durableGlobals.get(p) : ClusterNaming.temporaryGlobal(ctx.temporaryTag(), part + p);
    }

    /** What its value looks like before it ran (temporaries named with an all-zero tag): for explain's estimates. */
    public RayTable placementShape() {
        return placement(p -> durableGlobals != null ? durableGlobals.get(p)
                : ClusterNaming.temporaryGlobal("0000000000000000", part + p), new long[nodes.size()]);
    }

    /** Every temporary this step may have made in {@code ctx}, by node (none when it writes durable globals). */
    public Map<NodeInfo, List<String>> temporaries(QueryContext ctx) {
        Map<NodeInfo, List<String>> out = new LinkedHashMap<>();
        if (durableGlobals != null) {
            return out;
        }
        for (int p = 0; p < holders.size(); p++) {
            for (NodeInfo n : holders.get(p)) {
                out.computeIfAbsent(n, k -> new ArrayList<>()).add(temporary(ctx, p));
            }
        }
        return out;
    }

    @Override
    public CompletableFuture<RayValue> run(QueryContext ctx, PlanEnv env) {
        List<UnitId> units = new ArrayList<>();
        for (int s : shards) {
            units.add(new UnitId(table, s, ctx.epoch()));
        }
        String step = describe();
        AtomicLongArray counted = new AtomicLongArray(nodes.size());
        return env.executor().runAll(ctx, units, u -> RayList.of(Name.of("count"), Name.of(u.global())))
                .thenCompose(counts -> typedEmpty(ctx, env, units, 0).thenCompose(empty -> settleAll(create(ctx, env, empty, step))
                        .thenCompose(x -> stream(ctx, env, counts.units(), counts::get, counted, step))))
                .thenCompose(x -> sortBy == null ? CompletableFuture.completedFuture(null) : settleAll(sort(ctx, env, step)))
                .thenApply(x -> placement(ctx, counted));
    }

    /** The side's columns with no rows, typed as a shard gives them (every partition starts so). */
    private CompletableFuture<RayTable> typedEmpty(QueryContext ctx, PlanEnv env, List<UnitId> units, int i) {
        if (i == units.size()) {
            return CompletableFuture.failedFuture(new ClusterQueryError("no shard of " + table + " answered for the " + side));
        }
        UnitId u = units.get(i);
        return env.executor().run(ctx, u, rows.of(u, 0, 0)).thenCompose(v -> {
            if (v == null) {
                return typedEmpty(ctx, env, units, i + 1); // missing, partial results allowed: ask the next
            }
            if (!(v instanceof RayTable t) || !t.hasColumn(key)) {
                return CompletableFuture.failedFuture(new ClusterQueryError("a shard answered the " + side + " of a shuffle with a "
                        + v.type().rayfallName() + " without its key column " + key));
            }
            return CompletableFuture.completedFuture(t);
        });
    }

    private List<CompletableFuture<RayValue>> create(QueryContext ctx, PlanEnv env, RayTable empty, String step) {
        List<CompletableFuture<RayValue>> out = new ArrayList<>();
        for (int p = 0; p < holders.size(); p++) {
            for (NodeInfo n : holders.get(p)) {
                out.add(env.executor().onNode(ctx, n, count(RayList.of(Name.of("set"), Symbol.of(temporary(ctx, p)), empty)), step,
                        durableGlobals != null));
            }
        }
        return out;
    }

    private List<CompletableFuture<RayValue>> sort(QueryContext ctx, PlanEnv env, String step) {
        List<CompletableFuture<RayValue>> out = new ArrayList<>();
        for (int p = 0; p < holders.size(); p++) {
            String t = temporary(ctx, p);
            for (NodeInfo n : holders.get(p)) {
                out.add(env.executor().onNode(ctx, n, count(RayList.of(Name.of("set"), Symbol.of(t),
                        RayList.of(Name.of("xasc"), Name.of(t), Symbol.of(sortBy)))), step, durableGlobals != null));
            }
        }
        return out;
    }

    /** Streams every shard, {@link #STREAMS} at a time; completes when all are done, failed with the first failure. */
    private CompletableFuture<Void> stream(QueryContext ctx, PlanEnv env, List<UnitId> units, java.util.function.Function<UnitId,
            RayValue> counts, AtomicLongArray counted, String step) {
        ConcurrentLinkedQueue<UnitId> todo = new ConcurrentLinkedQueue<>();
        for (UnitId u : units) {
            if (counts.apply(u) != null) { // a missing shard (partial results allowed) has no rows to move
                todo.add(u);
            }
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long target = chunkBytes > 0 ? chunkBytes
                : Math.max(MIN_CHUNK_BYTES, Math.min(MAX_CHUNK_BYTES, ctx.memoryBudget() / 16));
        List<CompletableFuture<Void>> streams = new ArrayList<>();
        for (int i = 0; i < Math.min(STREAMS, Math.max(1, todo.size())); i++) {
            streams.add(nextShard(ctx, env, todo, counts, counted, failure, target, step));
        }
        return CompletableFuture.allOf(streams.toArray(new CompletableFuture<?>[0])).handle((x, e) -> {
            Throwable f = failure.get();
            if (f != null) {
                throw new java.util.concurrent.CompletionException(f);
            }
            return null;
        });
    }

    private CompletableFuture<Void> nextShard(QueryContext ctx, PlanEnv env, ConcurrentLinkedQueue<UnitId> todo,
                                              java.util.function.Function<UnitId, RayValue> counts, AtomicLongArray counted,
                                              AtomicReference<Throwable> failure, long target, String step) {
        UnitId u = todo.poll();
        if (u == null || failure.get() != null) {
            return CompletableFuture.completedFuture(null);
        }
        long total = ((I64Atom) counts.apply(u)).value();
        return chunk(ctx, env, u, 0, total, firstChunkRows, counted, failure, target, step)
                .thenCompose(x -> nextShard(ctx, env, todo, counts, counted, failure, target, step));
    }

    /** Reads rows {@code [start, start + n)} of the unit's shard, appends them to their partitions, then the next chunk. */
    private CompletableFuture<Void> chunk(QueryContext ctx, PlanEnv env, UnitId u, long start, long total, long n,
                                          AtomicLongArray counted, AtomicReference<Throwable> failure, long target, String step) {
        if (start >= total || failure.get() != null) {
            return CompletableFuture.completedFuture(null);
        }
        long take = Math.min(n, total - start);
        return env.executor().run(ctx, u, rows.of(u, start, take)).thenCompose(v -> {
            if (v == null) {
                return CompletableFuture.<Long>completedFuture(-1L); // the shard went missing; partial results allowed
            }
            if (!(v instanceof RayTable t)) {
                throw new ClusterQueryError("a shard answered the " + side + " of a shuffle with a " + v.type().rayfallName());
            }
            long bytes = ctx.admitToRouter(this, step, t);
            return split(ctx, env, t, bytes, counted, step).thenApply(x -> {
                ctx.release(bytes);
                return bytes;
            });
        }).handle((bytes, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e instanceof java.util.concurrent.CompletionException c && c.getCause() != null
                        ? c.getCause() : e);
                return -1L;
            }
            return bytes;
        }).thenCompose(bytes -> {
            if (bytes < 0) {
                return CompletableFuture.completedFuture(null);
            }
            // the next chunk: as many input rows as fill the target at the bytes per input row this one took
            long next = bytes == 0 ? Math.min(MAX_CHUNK_ROWS, take * 16)
                    : Math.max(1, Math.min(Math.min(MAX_CHUNK_ROWS, take * 16), take * target / bytes));
            return chunk(ctx, env, u, start + take, total, next, counted, failure, target, step);
        });
    }

    /** Cuts a chunk by partition and appends each piece to its partition; completes when every append is done. */
    private CompletableFuture<Void> split(QueryContext ctx, PlanEnv env, RayTable chunk, long bytes, AtomicLongArray counted,
                                          String step) {
        if (chunk.rowCount() == 0) {
            return CompletableFuture.completedFuture(null);
        }
        Executor pool = env.blocking() != null ? env.blocking() : Runnable::run;
        return CompletableFuture.supplyAsync(() -> pieces(chunk), pool).thenCompose(pieces -> {
            ctx.charge(bytes, step); // the pieces are a copy of the chunk
            List<CompletableFuture<RayValue>> sends = new ArrayList<>();
            for (int p = 0; p < pieces.size(); p++) {
                RayTable piece = pieces.get(p);
                if (piece == null) {
                    continue;
                }
                long size = ValueWriter.sizeOf(piece);
                counted.addAndGet(p, piece.rowCount());
                for (NodeInfo n : holders.get(p)) {
                    ctx.sentFromRouter(this, piece.rowCount(), size);
                    sends.add(env.executor().onNode(ctx, n, count(RayList.of(Name.of("insert"), Symbol.of(temporary(ctx, p)), piece)),
                            step, durableGlobals != null));
                }
            }
            return settleAll(sends).whenComplete((x, e) -> ctx.release(bytes));
        });
    }

    /** The chunk's rows of each partition, in chunk order (null for a partition with none). */
    List<RayTable> pieces(RayTable chunk) {
        Vector keys = chunk.column(key);
        int[] partOf = ShardFunction.shardsOf(keys, nodes.size());
        int[] sizes = new int[nodes.size()];
        for (int p : partOf) {
            sizes[p]++;
        }
        int[][] idx = new int[nodes.size()][];
        for (int p = 0; p < sizes.length; p++) {
            idx[p] = new int[sizes[p]];
        }
        int[] fill = new int[nodes.size()];
        for (int i = 0; i < partOf.length; i++) {
            idx[partOf[i]][fill[partOf[i]]++] = i;
        }
        List<RayTable> out = new ArrayList<>();
        for (int p = 0; p < idx.length; p++) {
            out.add(idx[p].length == 0 ? null : idx[p].length == chunk.rowCount() ? chunk : chunk.gather(idx[p]));
        }
        return out;
    }

    private RayTable placement(QueryContext ctx, AtomicLongArray counted) {
        long[] rowsIn = new long[nodes.size()];
        for (int p = 0; p < rowsIn.length; p++) {
            rowsIn[p] = counted.get(p);
        }
        return placement(p -> temporary(ctx, p), rowsIn);
    }

    /** The table {@code partition node temporary rows}. */
    private RayTable placement(java.util.function.IntFunction<String> names, long[] rowsIn) {
        int n = nodes.size();
        long[] part = new long[n];
        String[] node = new String[n];
        String[] temp = new String[n];
        for (int p = 0; p < n; p++) {
            part[p] = p;
            node[p] = nodes.get(p).getId();
            temp[p] = names.apply(p);
        }
        return RayTable.builder().column("partition", new I64Vector(part)).column("node", new SymbolVector(node))
                .column("temporary", new SymbolVector(temp)).column("rows", new I64Vector(rowsIn)).build();
    }

    /** Completes when every future has, failed with the first failure among them. */
    static <T> CompletableFuture<Void> settleAll(List<CompletableFuture<T>> all) {
        return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).handle((x, e) -> {
            for (CompletableFuture<T> f : all) {
                if (f.isCompletedExceptionally()) {
                    f.join(); // throws its failure
                }
            }
            return null;
        });
    }

    private static RayValue count(RayValue v) {
        return RayList.of(Name.of("count"), v);
    }

    /**
     * {@code request} (a select over the shard global {@code global}) over rows
     * {@code [start, start + n)} of that global only: {@code (take global [start n])} in its place.
     */
    public static RayValue slice(RayValue request, String global, long start, long n) {
        RayValue sliced = RayList.of(Name.of("take"), Name.of(global), I64Vector.of(start, n));
        return io.rayforce.cluster.client.rayfall.TreeWalk.rewrite(request, v -> v.equals(Name.of(global)) ? sliced : v);
    }

    /** The temporaries' names in a repartition's value, by partition. */
    public static List<String> temporaries(RayValue placement) {
        return ((SymbolVector) ((RayTable) placement).column("temporary")).toList();
    }

    @Override
    public String describe() {
        StringBuilder on = new StringBuilder();
        for (NodeInfo n : nodes) {
            on.append(on.length() == 0 ? "" : ",").append(n.getId());
        }
        return "Repartition " + side + " by " + key + " into " + nodes.size() + " partition" + (nodes.size() == 1 ? "" : "s")
                + " on " + on + (sortBy == null ? "" : ", each sorted by " + sortBy) + ", in bounded chunks";
    }

    @Override
    public List<Plan> inputs() {
        return List.of();
    }
}
