package io.rayforce.cluster.router.write;

import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.coordinator.meta.ClusterNaming.ShardRef;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.ColumnSpec;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.coordinator.proto.WriteIntent;
import io.rayforce.cluster.coordinator.proto.WriteKind;
import io.rayforce.cluster.coordinator.store.IntentLostException;
import io.rayforce.cluster.router.QueryOptions;
import io.rayforce.cluster.router.exec.ClusterQueryError;
import io.rayforce.cluster.router.exec.UnsupportedQueryError;
import io.rayforce.cluster.router.services.ClusterServices;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * A load (docs/operations.md, Loading files): many appends to one table as one insert. It holds
 * the table's write lock and the locks of all its shards from {@link #begin} to {@link #commit}
 * or {@link #abort}, so readers of the table wait for it and then see all of it, or none.
 * Each {@link #append} is an insert's write step: rows split by shard key, sequence numbers
 * reserved under the locks (so they follow file order), every writable replica of every shard
 * written at once in bounded requests ({@link InsertWriter#write}), failed replicas of shards
 * that applied it reported STALE before the next append. The write intent (kind APPEND) is
 * recorded before the first row is sent and covers every sequence number from the load's first
 * on (no other write of the table can take any while the write lock is held), so a router that
 * dies mid-load leaves it to recovery, which removes the load's rows. A failed append removes
 * every row the load wrote and ends it.
 *
 * <p>Curator's locks belong to the thread that took them, so all of a load's work runs on a
 * thread of its own; callers on any thread wait for it.
 */
public final class TableLoad {
    private final WriteKit kit;
    private final InsertWriter inserts;
    private final String table;
    private final QueryOptions options;
    private final String what;
    private final ExecutorService thread;
    private volatile long lastUsed = System.nanoTime();
    /** Steps running or waiting: a load is not idle while one is (a piece may take long to write). */
    private final AtomicInteger busy = new AtomicInteger();
    private volatile String ended;
    // touched on the load's thread only
    private TableSpec spec;
    private TableWrite write;
    private LockedShards locked;
    private List<Integer> shards;
    private long first = -1;
    private long rows;

    private TableLoad(WriteKit kit, InsertWriter inserts, String table, QueryOptions options) {
        this.kit = kit;
        this.inserts = inserts;
        this.table = table;
        this.options = options;
        this.what = "load into " + table;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "rayforce-load-" + table);
            t.setDaemon(true);
            return t;
        });
    }

    /** Takes the table's write lock and all its shard locks (recovering what a dead writer left first). */
    static TableLoad begin(WriteKit kit, InsertWriter inserts, String table, QueryOptions options) {
        TableLoad load = new TableLoad(kit, inserts, table, options);
        try {
            load.run(load::open);
        } catch (RuntimeException e) {
            load.thread.shutdown();
            throw e;
        }
        return load;
    }

    public String table() {
        return table;
    }

    /** Rows appended so far. */
    public long rows() {
        return rows;
    }

    /** Nanoseconds since the load was last used (0 while one of its steps runs). */
    public long idleNanos() {
        return busy.get() > 0 ? 0 : System.nanoTime() - lastUsed;
    }

    /** Whether it was committed or aborted (then nothing more can be done with it). */
    public boolean ended() {
        return ended != null;
    }

    /**
     * Appends rows that have exactly the table's columns, in order, with its types; answers the
     * rows appended so far. A failure ends the load with nothing of it written.
     */
    public long append(RayTable part) {
        return run(() -> appendHere(part));
    }

    /** Makes the load's rows visible (deletes its intent) and lets go of the locks; answers the rows loaded. */
    public long commit() {
        return run(this::commitHere);
    }

    /** Removes the load's rows and lets go of the locks; does nothing when it already ended. */
    public void abort(String why) {
        if (ended != null) {
            return;
        }
        run(() -> {
            if (ended == null) {
                end("aborted: " + why);
                undo();
            }
            return rows;
        });
    }

    // -----------------------------------------------------------------------------------------

    private long open() {
        ClusterServices services = kit.services(what);
        for (int attempt = 1; write == null; attempt++) {
            TablePlacement t = kit.placement.snapshot().table(table).orElseThrow(() -> new UnsupportedQueryError(what
                    + ": there is no cluster table " + table));
            spec = t.getSpec();
            try {
                write = TableWrite.begin(kit, spec, options, what);
            } catch (LayoutChangedError e) {
                // resharded before the load got the lock: its pieces are split by the new layout (as WritePath.execute)
                if (attempt == 3) {
                    throw e;
                }
            }
        }
        shards = IntStream.range(0, spec.getShardCount()).boxed().toList();
        try {
            locked = LockedShards.lock(services, kit.placement, shards.stream().map(s -> new ShardRef(table, s)).toList(),
                    WriteKit.timeout(options), what);
            locked.table(table, spec.getCreatedEpoch(), what);
        } catch (RuntimeException e) {
            release();
            throw e;
        }
        return 0;
    }

    private long appendHere(RayTable part) {
        checkColumns(part);
        int n = part.rowCount();
        if (n == 0) {
            return rows;
        }
        ClusterServices services = kit.services(what);
        long lo = services.reserve(table, n, what);
        ClusterSnapshot snapshot = current();
        if (first < 0) {
            first = lo;
            write.record(WriteIntent.newBuilder().setTable(table).setCreatedEpoch(spec.getCreatedEpoch()).setKind(WriteKind.APPEND)
                    .setStatement("load").setSeqFirst(lo).setSeqLast(Long.MAX_VALUE), snapshot, shards);
        }
        Map<Integer, RayTable> withSeq = ShardParts.sequenced(ShardParts.split(spec, part), lo);
        Acknowledgement.Verdict verdict;
        try {
            verdict = inserts.write(snapshot, table, withSeq, options, what, InsertWriter.Shape.ROWS);
        } catch (RuntimeException e) {
            end("failed: " + e.getMessage());
            String undone = undo();
            throw new WriteFailedError(what + " failed after " + rows + " rows: " + e.getMessage() + "; " + undone);
        }
        if (!verdict.acknowledged()) {
            end("failed: " + verdict.reasons());
            String undone = undo();
            throw new WriteFailedError(what + " failed after " + rows + " rows: " + verdict.reasons() + "; " + undone);
        }
        rows += n;
        return rows;
    }

    private long commitHere() {
        end("committed");
        if (first < 0) {
            write.complete();
            release();
            return 0;
        }
        try {
            write.complete();
        } catch (IntentLostException e) {
            kit.recovery.removeRange(current(), table, shards, first, Long.MAX_VALUE, options, what);
            release();
            throw new WriteFailedError(what + " failed: this router lost its ZooKeeper session during the load, so it is "
                    + "undone (" + e.getMessage() + ")");
        }
        release();
        return rows;
    }

    /** Removes every row the load wrote and lets go of the locks; says how it went. */
    private String undo() {
        try {
            if (first < 0) {
                write.complete();
                return "nothing was written";
            }
            return inserts.undo(write, current(), table, shards, first, Long.MAX_VALUE, options, what);
        } catch (RuntimeException e) {
            write.abandon();
            return "its rows could not be removed now (" + e.getMessage() + "); the next read or write of " + table
                    + " removes them";
        } finally {
            release();
        }
    }

    /** The placement as of now (never older than at locking), with the table as it was when the load began. */
    private ClusterSnapshot current() {
        ClusterSnapshot s = kit.placement.snapshot();
        if (s.epoch() < locked.snapshot().epoch()) {
            s = locked.snapshot();
        }
        TablePlacement t = s.table(table).orElseThrow(() -> new ClusterQueryError(what + ": table " + table
                + " was dropped during the load"));
        if (t.getSpec().getCreatedEpoch() != spec.getCreatedEpoch()) {
            throw new ClusterQueryError(what + ": table " + table + " was dropped and created again during the load");
        }
        return s;
    }

    private void checkColumns(RayTable part) {
        List<ColumnSpec> want = spec.getColumnsList();
        boolean same = part.columnCount() == want.size();
        for (int i = 0; same && i < want.size(); i++) {
            Vector c = part.column(i);
            same = part.columnNames().get(i).equals(want.get(i).getName()) && SpecTypes.of(c).equals(want.get(i).getType());
        }
        if (!same) {
            List<String> got = new ArrayList<>();
            for (int i = 0; i < part.columnCount(); i++) {
                got.add(part.columnNames().get(i) + ":" + SpecTypes.of(part.column(i)));
            }
            throw new UnsupportedQueryError(what + ": rows must have the table's columns in order with its types "
                    + want.stream().map(c -> c.getName() + ":" + c.getType()).toList() + ", got " + got);
        }
    }

    private void end(String how) {
        ended = how;
    }

    private void release() {
        try {
            if (locked != null) {
                locked.close();
            }
        } finally {
            if (write != null) {
                write.close();
            }
        }
    }

    /** Runs a step on the load's thread and waits for it. */
    private long run(Callable<Long> step) {
        lastUsed = System.nanoTime();
        String was = ended;
        if (was != null) {
            throw new UnsupportedQueryError(what + ": the load has ended (" + was + ")");
        }
        Future<Long> f;
        busy.incrementAndGet();
        try {
            f = thread.submit(step);
        } catch (RejectedExecutionException e) {
            busy.decrementAndGet();
            throw new UnsupportedQueryError(what + ": the load has ended (" + ended + ")");
        }
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterQueryError(what + ": interrupted while waiting for the load", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            throw new ClusterQueryError(what + ": " + c, c);
        } finally {
            lastUsed = System.nanoTime();
            busy.decrementAndGet();
            if (ended != null) {
                thread.shutdown();
            }
        }
    }
}
