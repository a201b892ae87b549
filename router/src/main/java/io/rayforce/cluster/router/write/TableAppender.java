package io.rayforce.cluster.router.write;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Metrics;
import io.rayforce.cluster.client.ipc.ValueWriter;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.coordinator.meta.ClusterNaming.ShardRef;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.meta.ZkPaths;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.coordinator.proto.Replica;
import io.rayforce.cluster.coordinator.proto.ShardReplicas;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.coordinator.proto.WriteIntent;
import io.rayforce.cluster.coordinator.proto.WriteKind;
import io.rayforce.cluster.coordinator.proto.WritePhase;
import io.rayforce.cluster.coordinator.store.IntentLostException;
import io.rayforce.cluster.coordinator.store.ReadLeases;
import io.rayforce.cluster.coordinator.store.SessionLiveness;
import io.rayforce.cluster.coordinator.store.TableLock;
import io.rayforce.cluster.coordinator.store.WriteIntents;
import io.rayforce.cluster.router.QueryOptions;
import io.rayforce.cluster.router.exec.ClusterQueryError;
import io.rayforce.cluster.router.exec.QueryTimeoutError;
import io.rayforce.cluster.router.services.ClusterServices;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.curator.framework.api.CuratorWatcher;
import org.apache.zookeeper.Watcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This router's write lease of one table and the inserts it carries (docs/router.md, Write
 * leases). The lease is the table's ZooKeeper write lock and the locks of all its shards, held
 * by one thread of this router for as long as inserts keep coming and nobody else asks for the
 * table (a reader or writer of another router, a shard copy: a watch on the lock nodes), with a
 * write intent (kind APPEND_LEASE) that tells recovery a lease was held. Its number is the first
 * row sequence number it reserved.
 *
 * <p>Inserts that arrive while a group is being written wait and then go together, as one
 * group: one request per node carrying every shard of the group on that node. A group is written
 * in two steps: its rows are appended to each replica's pending table (which no read names),
 * then, once every shard has a replica that holds them (the others reported STALE), each replica
 * moves them into the shard and records the group's stamp. Reads of the table on this router do
 * not take ZooKeeper's read lock; they hold this lease's local gate, which a commit takes
 * exclusively for its one round trip, so a read sees every group whole or not at all. Reads on
 * other routers wait for the lease to be let go (it is, as soon as one asks).
 */
final class TableAppender {
    private static final Logger log = LoggerFactory.getLogger(TableAppender.class);
    /** How long a held lease waits for more inserts before it is let go. */
    static final long IDLE_RELEASE_MS = 250;
    /** Row sequence numbers reserved at a time. */
    static final long SEQ_BLOCK = 1 << 20;
    /** A group takes inserts until it has this many rows. */
    static final int GROUP_ROWS = 2_000_000;
    /** The failure of a request a replica's fence refused. */
    private static final String FENCED = "fenced";
    /** No read version: reads under the lease reuse nothing. */
    private static final long NO_VERSION = -1;

    /** One insert waiting for its group. */
    static final class Op {
        final TableSpec spec;
        final RayTable rows;
        final long deadline;
        /** The write's timeout (its deadline is this after it arrived). */
        final Duration timeout;
        final String what;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        List<ShardParts.Part> parts;
        long firstSeq;
        /** An upsert: its key (null for an insert) and who splits its rows. */
        UpsertWriter.Key key;
        UpsertWriter upserts;
        QueryOptions options;

        Op(TableSpec spec, RayTable rows, Duration timeout, String what) {
            this.spec = spec;
            this.rows = rows;
            this.timeout = timeout;
            this.deadline = System.nanoTime() + timeout.toNanos();
            this.what = what;
            // each write through the lease has its verdict counted, as every other write's (rfc.write.acks)
            done.whenComplete((ok, e) -> Acknowledgement.countVerdict(e == null));
        }

        boolean upsert() {
            return key != null;
        }

        /** An upsert keyed on one column: its replicas tell which of its keys exist (AppendForms.upserts). */
        boolean splitOnNodes() {
            return upsert() && key.columns().size() == 1;
        }

        /** Whether {@code next} may be written in one group with this one: inserts with inserts, upserts split on the nodes with each other. */
        boolean writtenWith(Op next) {
            return upsert() ? splitOnNodes() && next.splitOnNodes() : !next.upsert();
        }

        Set<Integer> shards() {
            Set<Integer> out = new HashSet<>();
            parts.forEach(p -> out.add(p.shard()));
            return out;
        }
    }

    private enum State { IDLE, ACQUIRING, HELD, RELEASING }

    private final WriteKit kit;
    private final String table;
    private final Runnable onHeld;
    private final Runnable onIdle;
    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock(true);
    private final ArrayDeque<Op> queue = new ArrayDeque<>();
    private volatile State state = State.IDLE;
    private boolean worker;
    private boolean closing;
    private volatile boolean contended;
    /**
     * The read version of the table as this router's reads see it under the lease
     * ({@link TableLock#versions()}, what plan/ReadCache is keyed by): a new one when the lease is
     * taken and whenever the gate is held exclusively (a commit), so reads that see the same one
     * saw the same rows. Changed only while no read holds the gate.
     */
    private volatile long readVersion = NO_VERSION;
    /** Where read versions come from: the table's read leases on this router (they share the numbers). */
    private ReadLeases readLeases;

    // the lease, on the worker thread only
    private TableLock rwLock;
    private TableLock shardLocks;
    private WriteIntents.Stored intent;
    private long epoch;
    private long lease;
    private long nextSeq;
    private long seqEnd;
    private long watchGeneration;
    /** The shard count the lease was taken with: inserts planned with another layout are planned again. */
    private int shardCount;
    /** The ZooKeeper session that took the lease's write lock (the write fence's, {@code WriteFence#session}). */
    private volatile long session;
    private final Set<String> initialized = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Set<String> excluded = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Commits groups, one at a time, while the worker appends the next one. */
    private java.util.concurrent.ExecutorService committer;

    /**
     * @param onHeld called when the lease is taken (this router's reads of the table go through
     *               its gate from then on)
     * @param onIdle called when it is let go
     */
    TableAppender(WriteKit kit, String table, Runnable onHeld, Runnable onIdle) {
        this.kit = kit;
        this.table = table;
        this.onHeld = onHeld;
        this.onIdle = onIdle;
    }

    /** Appends rows that have exactly the table's columns and types; returns once they are acknowledged. */
    void append(TableSpec spec, RayTable rows, QueryOptions options, String what) {
        Duration timeout = WriteKit.timeout(options);
        Op op = new Op(spec, rows, timeout, what);
        op.parts = ShardParts.split(spec, rows);
        submit(op, timeout);
    }

    /** An upsert whose rows all belong to one shard: written in one step, in its turn among the lease's groups. */
    void upsert(TableSpec spec, UpsertWriter.Key key, RayTable rows, UpsertWriter upserts, QueryOptions options, String what) {
        Duration timeout = WriteKit.timeout(options);
        Op op = new Op(spec, rows, timeout, what);
        op.parts = ShardParts.split(spec, rows);
        op.key = key;
        op.upserts = upserts;
        op.options = options;
        submit(op, timeout);
    }

    private void submit(Op op, Duration timeout) {
        String what = op.what;
        synchronized (this) {
            if (closing) {
                throw new ClusterQueryError(what + ": the router is closing");
            }
            queue.add(op);
            if (!worker) {
                worker = true;
                Thread t = new Thread(this::work, "write-lease-" + table);
                t.setDaemon(true);
                t.start();
            }
            notifyAll();
        }
        try {
            try {
                // a little past the timeout: the lease's own waits (for ZooKeeper, for the fence) end with it and say why
                op.done.get(timeout.toMillis() + 2_000, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                synchronized (this) {
                    if (queue.remove(op)) { // never taken into a group: nothing of it was sent
                        throw new WriteFailedError(what + " failed: timed out waiting for the write lease of " + table
                                + " (its group in flight did not finish in time); nothing was written");
                    }
                }
                op.done.get(30_000, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterQueryError(what + ": interrupted while waiting for the write (it may still be written)", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new ClusterQueryError(what + ": no answer from the write lease of " + table + " in time; it is not known "
                    + "whether the rows were written");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new ClusterQueryError(what + ": " + e.getCause(), e.getCause());
        }
    }

    /**
     * A read of the table on this router: when the lease is held, the read holds the gate (shared)
     * and the returned handle lets it go; null when no lease is held (the read takes ZooKeeper's
     * read lock). Waits through the lease being taken or let go.
     */
    ReadLeases.Held joinRead(long deadline) throws java.util.concurrent.TimeoutException {
        while (true) {
            synchronized (this) {
                while (state == State.ACQUIRING || state == State.RELEASING) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new java.util.concurrent.TimeoutException("could not read table " + table
                                + " while this router's write lease of it was being " + (state == State.ACQUIRING ? "taken" : "let go"));
                    }
                    try {
                        TimeUnit.NANOSECONDS.timedWait(this, left);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new java.util.concurrent.TimeoutException("interrupted while waiting to read table " + table);
                    }
                }
                if (state == State.IDLE) {
                    return null;
                }
            }
            ReentrantReadWriteLock.ReadLock read = gate.readLock();
            try {
                if (!read.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    throw new java.util.concurrent.TimeoutException("could not read table " + table + ": a commit of this "
                            + "router's write lease held it too long");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.util.concurrent.TimeoutException("interrupted while waiting to read table " + table);
            }
            synchronized (this) {
                if (state == State.HELD) {
                    long v = readVersion;
                    return gateHold(read, v == NO_VERSION ? Map.of() : Map.of(table, v), session);
                }
            }
            read.unlock();
        }
    }

    /**
     * A read's hold of the gate, seeing the table at {@code versions}; held while {@code session},
     * which took the lease's write lock, is alive (a read answered after it ended may have
     * overlapped another router's recovery of the lease).
     */
    private ReadLeases.Held gateHold(ReentrantReadWriteLock.ReadLock read, Map<String, Long> versions, long session) {
        Thread owner = Thread.currentThread();
        boolean[] open = {true};
        return new ReadLeases.Held() {
            @Override
            public boolean heldUntil(long atNanos, long deadlineNanos) throws InterruptedException {
                return kit.services("reading " + table).liveness().awaitProof(session, atNanos, deadlineNanos);
            }

            @Override
            public void close() {
                if (open[0]) {
                    open[0] = false;
                    if (Thread.currentThread() == owner) {
                        read.unlock();
                    } else {
                        log.warn("a read of {} let go of the lease gate on another thread", table);
                    }
                }
            }

            @Override
            public Map<String, Long> versions() {
                return versions;
            }
        };
    }

    /**
     * Takes the gate exclusively (no read of the table on this router runs) for a step that changes
     * what reads see; {@link #releaseGate} gives the table a new read version and lets reads in.
     */
    private void holdGate() {
        gate.writeLock().lock();
    }

    private void releaseGate() {
        try {
            readVersion = newReadVersion();
        } finally {
            gate.writeLock().unlock();
        }
    }

    /** A read version no state of the table had on this router, or {@link #NO_VERSION} when none could be had. */
    private long newReadVersion() {
        try {
            return readLeases.nextVersion(table);
        } catch (RuntimeException e) {
            log.debug("no read version for {} (its reads under the lease reuse nothing): {}", table, e.toString());
            return NO_VERSION;
        }
    }

    /** Whether the lease is held now. */
    boolean held() {
        return state == State.HELD;
    }

    /** Something else wants the table (or ZooKeeper's connection is in doubt): let the lease go soon. */
    void contend() {
        contended = true;
        synchronized (this) {
            notifyAll();
        }
    }

    /** Lets the lease go and ends the worker (waits a little for it). */
    void close() {
        synchronized (this) {
            closing = true;
            contended = true;
            notifyAll();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        synchronized (this) {
            while (worker && System.nanoTime() < deadline) {
                try {
                    wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    // ---------------------------------------------------------------- the worker

    private void work() {
        try {
            while (true) {
                Op head;
                boolean idle = false;
                synchronized (this) {
                    if (queue.isEmpty() && state == State.HELD && !contended) {
                        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(IDLE_RELEASE_MS);
                        while (queue.isEmpty() && !contended) {
                            long left = deadline - System.nanoTime();
                            if (left <= 0) {
                                break;
                            }
                            TimeUnit.NANOSECONDS.timedWait(this, left);
                        }
                        // while ZooKeeper is away the lease stays (letting it go needs ZooKeeper; reads go on under it)
                        idle = queue.isEmpty() && zooKeeperConnected();
                    }
                    if (queue.isEmpty() && state != State.HELD) {
                        worker = false;
                        notifyAll();
                        return;
                    }
                    head = queue.peek();
                    if (closing) {
                        failAll(new ClusterQueryError("the router is closing"));
                        head = null;
                    }
                }
                if (state == State.HELD && (idle || contended || head == null
                        || head.spec.getCreatedEpoch() != epoch)) {
                    release();
                    continue;
                }
                if (head == null) {
                    continue;
                }
                if (state == State.IDLE) {
                    try {
                        acquire(head);
                    } catch (RuntimeException e) {
                        failEpoch(head.spec.getCreatedEpoch(), e);
                    }
                    continue;
                }
                runGroup(takeGroup());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            log.error("the write lease of {} failed", table, e);
            synchronized (this) {
                failAll(new ClusterQueryError("the write lease of " + table + " failed: " + e));
            }
            if (state != State.IDLE) {
                try {
                    release();
                } catch (RuntimeException ignored) {
                    // logged in release
                }
            }
        } finally {
            synchronized (this) {
                worker = false;
                if (!queue.isEmpty() && !closing) {
                    worker = true;
                    Thread t = new Thread(this::work, "write-lease-" + table);
                    t.setDaemon(true);
                    t.start();
                }
                notifyAll();
            }
        }
    }

    private void setState(State s) {
        synchronized (this) {
            state = s;
            notifyAll();
        }
    }

    /** Takes the lease for the table as created at the head op's epoch (on the worker). */
    private void acquire(Op head) {
        String what = head.what;
        ClusterServices services = kit.services(what);
        Duration timeout = Duration.ofNanos(Math.max(1_000_000, head.deadline - System.nanoTime()));
        QueryOptions options = new QueryOptions(timeout, false);
        // before ACQUIRING, which this router's reads of the table wait out: they go on under read leases meanwhile
        TableWrite.awaitZooKeeper(services, new QueryOptions(head.timeout, false), what);
        setState(State.ACQUIRING);
        contended = false;
        TableLock rw = null;
        TableLock shards = null;
        try {
            rw = services.lockTable(table, timeout, what);
            kit.recovery.recoverAll(table, options, what);
            // a reshard changes the layout only under the write lock: the placement as of now is the lease's
            ClusterSnapshot current = LockedShards.caughtUp(services, kit.placement, timeout, what);
            TablePlacement tp = current.table(table).orElseThrow(() -> new ClusterQueryError(what + ": table " + table
                    + " does not exist any more"));
            if (tp.getSpec().getCreatedEpoch() != head.spec.getCreatedEpoch()) {
                throw new ClusterQueryError(what + ": table " + table + " was dropped and created again meanwhile");
            }
            List<ShardRef> refs = new ArrayList<>();
            for (int s = 0; s < tp.getSpec().getShardCount(); s++) {
                refs.add(new ShardRef(table, s));
            }
            LockedShards locked = LockedShards.lock(services, kit.placement, refs, timeout, what);
            shards = locked::close;
            TablePlacement at = locked.table(table, head.spec.getCreatedEpoch(), what);
            long first = services.reserve(table, SEQ_BLOCK, what);
            WriteIntent.Builder b = WriteIntent.newBuilder().setTable(table).setCreatedEpoch(head.spec.getCreatedEpoch())
                    .setKind(WriteKind.APPEND_LEASE).setStatement("insert").setSeqFirst(first).setPhase(WritePhase.PREPARED)
                    .setRouterId(services.routerId());
            for (int s = 0; s < at.getSpec().getShardCount(); s++) {
                ShardReplicas.Builder sr = ShardReplicas.newBuilder().setShard(s);
                for (Replica r : locked.snapshot().shard(table, s).getReplicasList()) {
                    if (ReplicaWrites.writable(r)) {
                        sr.addNodes(r.getNodeId());
                    }
                }
                b.addShards(sr);
            }
            intent = services.intents().create(b.build());
            rwLock = rw;
            shardLocks = shards;
            epoch = head.spec.getCreatedEpoch();
            shardCount = at.getSpec().getShardCount();
            session = services.writeFence().session(table);
            lease = first;
            nextSeq = first;
            seqEnd = first + SEQ_BLOCK;
            initialized.clear();
            excluded.clear();
            watch(services, at.getSpec().getShardCount());
            readLeases = services.readLeases();
            readVersion = newReadVersion();
            committer = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "write-commit-" + table);
                t.setDaemon(true);
                return t;
            });
            onHeld.run();
            setState(State.HELD);
            log.debug("took the write lease {} of {}", lease, table);
        } catch (RuntimeException e) {
            if (shards != null) {
                shards.close();
            }
            if (rw != null) {
                rw.close();
            }
            setState(State.IDLE);
            throw e;
        }
    }

    /** Watches the lock nodes: anyone else asking for the table or one of its shards makes the lease go. */
    private void watch(ClusterServices services, int shardCount) {
        long gen = ++watchGeneration;
        List<String> paths = new ArrayList<>();
        paths.add(ZkPaths.tableLock(table));
        for (int s = 0; s < shardCount; s++) {
            paths.add(ZkPaths.shardLock(table, s));
        }
        for (String path : paths) {
            CuratorWatcher w = event -> {
                // a connection event is nobody asking: ZooKeeper sets the watch again on reconnecting and fires
                // it if someone asked meanwhile; a lost session lets the lease go (WriteLeases)
                if (gen == watchGeneration && event.getType() != Watcher.Event.EventType.None) {
                    contend();
                }
            };
            try {
                if (services.curator().getChildren().usingWatcher(w).forPath(path).size() > 1) {
                    contend();
                }
            } catch (Exception e) {
                log.debug("watching {} failed, letting the lease of {} go: {}", path, table, e.toString());
                contend();
            }
        }
    }

    /** Lets the lease go once no group is in flight (this worker runs them) and no read holds the gate. */
    private void release() {
        setState(State.RELEASING);
        watchGeneration++;
        String problem = awaitCommit();
        if (problem != null && intent != null) {
            log.warn("the write lease {} of {} is left to recovery: {}", lease, table, problem);
            try {
                kit.services("abandoning the write lease").intents().abandon(intent);
            } catch (RuntimeException e) {
                log.warn("abandoning the write lease of {}: {}", table, e.toString());
            }
            intent = null;
        }
        if (committer != null) {
            committer.shutdown();
            committer = null;
        }
        gate.writeLock().lock();
        try {
            if (intent != null) {
                try {
                    kit.services("letting the write lease of " + table + " go").intents().complete(intent);
                } catch (IntentLostException e) {
                    log.warn("the write lease of {} was recovered by another router: {}", table, e.getMessage());
                } catch (RuntimeException e) {
                    log.warn("letting the write lease of {} go: {}; left to recovery", table, e.toString());
                    kit.services("abandoning the write lease").intents().abandon(intent);
                }
            }
        } finally {
            intent = null;
            if (shardLocks != null) {
                shardLocks.close();
            }
            if (rwLock != null) {
                rwLock.close();
            }
            shardLocks = null;
            rwLock = null;
            contended = false;
            onIdle.run();
            setState(State.IDLE);
            gate.writeLock().unlock();
        }

        log.debug("let the write lease {} of {} go: {} groups of {} inserts on average, append {} ms and commit {} ms on average",
                lease, table, statGroups, statGroups == 0 ? 0 : String.format("%.1f", (double) statOps / statGroups),
                statGroups == 0 ? 0 : String.format("%.2f", statAppendNanos / 1e6 / statGroups),
                statGroups == 0 ? 0 : String.format("%.2f", statCommitNanos / 1e6 / statGroups));
        statGroups = 0;
        statOps = 0;
        statAppendNanos = 0;
        statCommitNanos = 0;
    }

    /**
     * The lease can no longer vouch for what it wrote (a commit reached no replica of a shard, or
     * another router fenced it): its intent is left to recovery and the lease is let go.
     */
    private void breakLease(String why) {
        log.warn("the write lease {} of {} is left to recovery: {}", lease, table, why);
        if (intent != null) {
            try {
                kit.services("abandoning the write lease").intents().abandon(intent);
            } catch (RuntimeException e) {
                log.warn("abandoning the write lease of {}: {}", table, e.toString());
            }
            intent = null;
        }
        release();
    }

    // ---------------------------------------------------------------- groups

    /** Takes the queued inserts of the lease's table (in order) up to the group's size; fails the expired ones. */
    private List<Op> takeGroup() {
        List<Op> group = new ArrayList<>();
        long rows = 0;
        synchronized (this) {
            while (!queue.isEmpty()) {
                Op op = queue.peek();
                if (op.spec.getCreatedEpoch() != epoch) {
                    break;
                }
                if (op.spec.getShardCount() != shardCount) {
                    queue.poll();
                    op.done.completeExceptionally(new LayoutChangedError(op.what + ": table " + table + " was resharded from "
                            + op.spec.getShardCount() + " to " + shardCount + " shards while the write waited for its lease"));
                    continue;
                }
                if (System.nanoTime() > op.deadline) {
                    queue.poll();
                    op.done.completeExceptionally(new QueryTimeoutError(Duration.ZERO, op.what + ": timed out waiting for "
                            + "the write lease of " + table + "; nothing was written"));
                    continue;
                }
                if (!group.isEmpty() && (!group.get(0).writtenWith(op) || rows + op.rows.rowCount() > GROUP_ROWS)) {
                    break;
                }
                queue.poll();
                group.add(op);
                rows += op.rows.rowCount();
                if (op.upsert() && !op.splitOnNodes()) {
                    break; // an upsert whose keys the router splits is a group of its own
                }
            }
        }
        return group;
    }

    // statistics of the current lease, logged when it is let go
    private long statGroups;
    private long statOps;
    private long statAppendNanos;
    private long statCommitNanos;

    /** A group whose rows every shard holds pending, ready to commit. */
    private record Group(List<Op> ops, Map<String, Map<Integer, RayTable>> byNode, Map<Integer, List<String>> replicasOf,
            ClusterSnapshot snapshot, long stamp, long timeoutMillis, String what, Map<String, RayValue> requests) {
        Group(List<Op> ops, Map<String, Map<Integer, RayTable>> byNode, Map<Integer, List<String>> replicasOf,
                ClusterSnapshot snapshot, long stamp, long timeoutMillis, String what) {
            this(ops, byNode, replicasOf, snapshot, stamp, timeoutMillis, what, null);
        }
    }

    /**
     * An upsert into one shard: once the groups before it are committed, which of its keys exist is
     * asked of a replica of the shard, and the updates and new rows go to every replica in one step.
     */
    private void runUpsert(Op op) {
        String problem = awaitCommit();
        if (problem != null) {
            op.done.completeExceptionally(new WriteFailedError(op.what + " failed: the write lease of " + table + " could not "
                    + "commit the group before it (" + problem + "); nothing was changed"));
            breakLease(problem);
            return;
        }
        ClusterSnapshot snapshot = current(List.of(op));
        if (snapshot == null) {
            return;
        }
        int shard = op.parts.get(0).shard();
        UpsertWriter.Split split;
        try {
            split = op.upserts.split(snapshot, snapshot.table(table).orElseThrow().getSpec(), op.key, op.rows, op.parts, op.options, op.what);
        } catch (RuntimeException e) {
            op.done.completeExceptionally(e);
            return;
        }
        int fresh = split.fresh() == null ? 0 : split.fresh().rowCount();
        reserve(fresh + 1L, op.what);
        RayTable freshRows = null;
        if (fresh > 0) {
            freshRows = ShardParts.withSequence(split.fresh(), ShardParts.range(nextSeq, fresh));
            nextSeq += fresh;
        } else {
            nextSeq++; // the stamp of an upsert that only updates
        }
        long stamp = nextSeq - 1;
        Map<String, RayValue> requests = new LinkedHashMap<>();
        Map<String, Map<Integer, RayTable>> byNode = new TreeMap<>();
        List<String> nodes = writableReplicas(snapshot, shard);
        for (String node : nodes) {
            byNode.put(node, Map.of(shard, op.rows));
            requests.put(node, AppendForms.upsert(table, epoch, lease, !initialized.contains(key(node, shard)),
                    shard, op.key.engineArg(), split.updates(), freshRows, stamp));
        }
        Group g = new Group(List.of(op), byNode, Map.of(shard, nodes), snapshot, stamp, timeoutMillis(List.of(op)), op.what,
                requests);
        counted(List.of(op));
        committing = commitHere(g);
    }

    /** A one-step group committed on this thread; what went wrong with it, as the committer's future would hold it. */
    private CompletableFuture<String> commitHere(Group g) {
        try {
            return CompletableFuture.completedFuture(commitDirect(g));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** {@code rfc.write.lease.group{kind}}: how many writes each group carried. */
    private final DistributionSummary insertGroups = groupSizes("insert");
    private final DistributionSummary upsertGroups = groupSizes("upsert");

    private static DistributionSummary groupSizes(String kind) {
        return DistributionSummary.builder("rfc.write.lease.group").description("writes carried by one group of a write lease")
                .tag("kind", kind).register(Metrics.globalRegistry);
    }

    private void counted(List<Op> ops) {
        statGroups++;
        statOps += ops.size();
        (ops.get(0).upsert() ? upsertGroups : insertGroups).record(ops.size());
    }

    /**
     * The last commit and what it found wrong (null: nothing): a group over several shards commits
     * on the committer while the next group is appended; a one-step group commits on the worker
     * itself (nothing of the next group could be sent before it anyway, and a hand-over to another
     * thread and back cost more than the overlap saved: 7,399 against 8,723 single-row inserts/s
     * with 8 writers, docs/benchmarks.md), while the next writes queue and then form one group.
     */
    private CompletableFuture<String> committing;

    /**
     * Writes one group: appended everywhere (here, while the previous group commits), then handed to
     * the committer once the previous commit is done.
     */
    private void runGroup(List<Op> ops) {
        ops = sessionProven(ops);
        if (ops.isEmpty()) {
            return;
        }
        if (ops.get(0).upsert() && !ops.get(0).splitOnNodes()) {
            runUpsert(ops.get(0));
            return;
        }
        if (ops.stream().allMatch(op -> op.parts.size() == 1)) {
            // every insert or upsert touches one shard: written in one step
            Group g = ops.get(0).upsert() ? placedUpserts(ops) : placed(ops);
            String problem = awaitCommit();
            if (problem != null) {
                if (g != null) {
                    g.ops().forEach(op -> op.done.completeExceptionally(new WriteFailedError(op.what + " failed: the write "
                            + "lease of " + table + " could not commit the group before it (" + problem + "); nothing was written")));
                }
                breakLease(problem);
                return;
            }
            if (g != null) {
                counted(ops);
                committing = commitHere(g);
            }
            return;
        }
        long t0 = System.nanoTime();
        Group g = appendGroup(ops);
        statAppendNanos += System.nanoTime() - t0;
        counted(ops);
        // the previous group's commit must be done (commits go in order) and must have gone well
        String problem = awaitCommit();
        if (problem != null) {
            if (g != null) {
                g.ops().forEach(op -> op.done.completeExceptionally(new WriteFailedError(op.what + " failed: the write lease of "
                        + table + " could not commit the group before it (" + problem + "); nothing was written")));
            }
            breakLease(problem);
            return;
        }
        if (g != null) {
            committing = CompletableFuture.supplyAsync(() -> commitGroup(g), committer);
        }
    }

    /**
     * The inserts of a group that may be sent: the session holding the lease's write lock must be
     * proven alive (the write fence's rule, checked here before anything of the group is sent, so
     * that a wait for ZooKeeper ends with the inserts' timeouts). While ZooKeeper is away, waits
     * for a proof up to the latest of their deadlines; the inserts it did not come in time for
     * fail saying nothing was written, and when the session ended the lease is let go.
     */
    private List<Op> sessionProven(List<Op> ops) {
        SessionLiveness liveness = kit.services("writing " + table).liveness();
        if (ops.isEmpty() || liveness.provenAlive(session)) {
            return ops;
        }
        long deadline = ops.stream().mapToLong(o -> o.deadline).max().orElseThrow();
        boolean proven;
        try {
            proven = liveness.awaitProof(session, System.nanoTime(), deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            proven = false;
        }
        boolean ended = liveness.sessionId() != session;
        List<Op> go = new ArrayList<>();
        for (Op op : ops) {
            if (proven && System.nanoTime() <= op.deadline) {
                go.add(op);
            } else {
                op.done.completeExceptionally(new WriteFailedError(op.what + " failed: " + (ended
                        ? "the ZooKeeper session that holds the write lease of " + table + " ended"
                        : "ZooKeeper could not be reached within the write's timeout (the session that holds the write lease of "
                                + table + " could not be proven alive)") + "; nothing was written"));
            }
        }
        if (ended) {
            contend();
        }
        return go;
    }

    private boolean zooKeeperConnected() {
        ClusterServices s = kit.servicesIfAny();
        return s == null || s.curator().getZookeeperClient().isConnected();
    }

    /** Waits for the commit in flight; answers what went wrong with it, or null. */
    private String awaitCommit() {
        CompletableFuture<String> c = committing;
        committing = null;
        if (c == null) {
            return null;
        }
        try {
            return c.join();
        } catch (RuntimeException e) {
            return "the commit failed: " + e;
        }
    }

    /**
     * A group of inserts, nothing sent yet: their sequence numbers, and each shard's rows on the
     * writable replicas the lease has not left out; null when the table was dropped meanwhile (each
     * insert then fails).
     */
    private Group placed(List<Op> ops) {
        String what = what(ops, "insert");
        ClusterSnapshot snapshot = current(ops);
        if (snapshot == null) {
            return null;
        }
        long timeoutMillis = timeoutMillis(ops);
        Map<Integer, RayTable> rows = sequenced(ops);
        long stamp = nextSeq - 1;
        Map<String, Map<Integer, RayTable>> byNode = new TreeMap<>();
        Map<Integer, List<String>> replicasOf = new TreeMap<>();
        for (int shard : rows.keySet()) {
            List<String> nodes = writableReplicas(snapshot, shard);
            nodes.forEach(node -> byNode.computeIfAbsent(node, n -> new TreeMap<>()).put(shard, rows.get(shard)));
            replicasOf.put(shard, nodes);
        }
        return new Group(ops, byNode, replicasOf, snapshot, stamp, timeoutMillis, what);
    }

    /** What a group does, for its errors: its one write's own words, or how many it carries. */
    private String what(List<Op> ops, String kind) {
        return ops.size() == 1 ? ops.get(0).what : kind + " into " + table + " (" + ops.size() + " " + kind + "s written together)";
    }

    /** The placement to write a group at; null, with every write of the group failed, when the table was dropped meanwhile. */
    private ClusterSnapshot current(List<Op> ops) {
        ClusterSnapshot snapshot = kit.placement.snapshot();
        TablePlacement tp = snapshot.table(table).orElse(null);
        if (tp == null || tp.getSpec().getCreatedEpoch() != epoch) {
            ops.forEach(op -> op.done.completeExceptionally(new ClusterQueryError(op.what + ": table " + table
                    + " was dropped while the write waited")));
            return null;
        }
        return snapshot;
    }

    /** A group's timeout: what is left of the soonest deadline among its writes, at least a second. */
    private static long timeoutMillis(List<Op> ops) {
        return Math.max(1_000, ops.stream().mapToLong(o -> (o.deadline - System.nanoTime()) / 1_000_000).min()
                .orElse(WriteKit.NO_TIMEOUT_BOUND.toMillis()));
    }

    /** The replicas of a shard a group is written to: the writable ones the lease has not left out. */
    private List<String> writableReplicas(ClusterSnapshot snapshot, int shard) {
        List<String> nodes = new ArrayList<>();
        for (Replica r : snapshot.shard(table, shard).getReplicasList()) {
            if (ReplicaWrites.writable(r) && !excluded.contains(key(r.getNodeId(), shard))) {
                nodes.add(r.getNodeId());
            }
        }
        return nodes;
    }

    /** Makes sure {@code count} sequence numbers from {@code nextSeq} are reserved (a new block from ZooKeeper when not). */
    private void reserve(long count, String what) {
        if (nextSeq + count > seqEnd) {
            long first = kit.services(what).reserve(table, Math.max(count, SEQ_BLOCK), what);
            nextSeq = first;
            seqEnd = first + Math.max(count, SEQ_BLOCK);
        }
    }

    /**
     * A group of upserts keyed on one column, each into one shard, nothing sent yet: each row gets
     * the sequence number of its key's first appearance in its upsert (a new key is appended once,
     * there), and each node one request with its shards' upserts in order; null when the table was
     * dropped meanwhile (each upsert then fails).
     */
    private Group placedUpserts(List<Op> ops) {
        String what = what(ops, "upsert");
        ClusterSnapshot snapshot = current(ops);
        if (snapshot == null) {
            return null;
        }
        long timeoutMillis = timeoutMillis(ops);
        reserve(ops.stream().mapToLong(o -> o.rows.rowCount()).sum(), what);
        List<AppendForms.KeyedUpsert> upserts = new ArrayList<>();
        for (Op op : ops) {
            String column = op.key.columns().get(0);
            op.firstSeq = nextSeq;
            upserts.add(new AppendForms.KeyedUpsert(op.parts.get(0).shard(), op.key.engineArg(), column,
                    ShardParts.withSequence(op.rows, ShardParts.firstAppearances(op.rows.column(column), nextSeq))));
            nextSeq += op.rows.rowCount();
        }
        long stamp = nextSeq - 1;
        Map<String, Map<Integer, RayTable>> byNode = new TreeMap<>();
        Map<Integer, List<String>> replicasOf = new TreeMap<>();
        Map<String, List<AppendForms.KeyedUpsert>> ofNode = new TreeMap<>();
        for (AppendForms.KeyedUpsert u : upserts) {
            List<String> nodes = replicasOf.computeIfAbsent(u.shard(), sh -> writableReplicas(snapshot, sh));
            for (String node : nodes) {
                byNode.computeIfAbsent(node, n -> new TreeMap<>()).put(u.shard(), u.rows());
                ofNode.computeIfAbsent(node, n -> new ArrayList<>()).add(u);
            }
        }
        Map<String, RayValue> requests = new LinkedHashMap<>();
        ofNode.forEach((node, list) -> {
            List<Integer> init = new ArrayList<>();
            for (int sh : byNode.get(node).keySet()) {
                if (!initialized.contains(key(node, sh))) {
                    init.add(sh);
                }
            }
            requests.put(node, AppendForms.upserts(table, epoch, lease, init, list, stamp));
        });
        return new Group(ops, byNode, replicasOf, snapshot, stamp, timeoutMillis, what, requests);
    }

    /** Gives the inserts their sequence numbers, in order, and answers each shard's rows (with {@code __seq}). */
    private Map<Integer, RayTable> sequenced(List<Op> ops) {
        reserve(ops.stream().mapToLong(o -> o.rows.rowCount()).sum(), ops.get(0).what);
        for (Op op : ops) {
            op.firstSeq = nextSeq;
            nextSeq += op.rows.rowCount();
        }
        Map<Integer, List<RayTable>> pieces = new TreeMap<>();
        for (Op op : ops) {
            ShardParts.sequenced(op.parts, op.firstSeq).forEach((shard, part) ->
                    pieces.computeIfAbsent(shard, x -> new ArrayList<>()).add(part));
        }
        Map<Integer, RayTable> rows = new TreeMap<>();
        pieces.forEach((shard, list) -> rows.put(shard, concat(list)));
        return rows;
    }

    /**
     * A one-step group, on the committer, while this router's reads of the table wait: each node
     * gets its shards' rows straight into them. An insert is acknowledged when a replica of its shard
     * applied it and the others were reported STALE; it fails, with nothing written, when no replica
     * of its shard applied it and none may have (a lost connection after sending); otherwise the
     * lease is left to recovery. Answers what must leave it to recovery, or null.
     */
    private String commitDirect(Group g) {
        long t0 = System.nanoTime();
        List<String> problems = new ArrayList<>();
        Acknowledgement ack = kit.acknowledgement(g.what());
        Map<Integer, String> failedShards = new TreeMap<>();
        Set<Integer> uncertainShards = new HashSet<>();
        holdGate();
        try {
            Map<String, CompletableFuture<ReplicaOutcome>> sent = new LinkedHashMap<>();
            boolean oneRowEach = g.ops().stream().allMatch(o -> o.rows.rowCount() == 1);
            g.byNode().forEach((node, parts) -> {
                List<Integer> init = new ArrayList<>();
                for (int sh : parts.keySet()) {
                    if (!initialized.contains(key(node, sh))) {
                        init.add(sh);
                    }
                }
                RayValue request = g.requests() != null ? g.requests().get(node)
                        : AppendForms.direct(table, epoch, lease, init, parts, g.stamp(), oneRowEach);
                sent.put(node, send(g.snapshot(), node, List.of(request), g.timeoutMillis()));
            });
            Map<String, ReplicaOutcome> done = answers(sent, g.byNode());
            String stopped = stop(done.values());
            if (stopped != null) {
                problems.add(stopped);
            }
            done.forEach((node, o) -> {
                if (o.ok()) {
                    g.byNode().get(node).keySet().forEach(sh -> initialized.add(key(node, sh)));
                }
            });
            for (Map.Entry<Integer, List<String>> e : g.replicasOf().entrySet()) {
                int shard = e.getKey();
                List<ReplicaOutcome> rs = new ArrayList<>();
                for (String node : e.getValue()) {
                    rs.add(done.get(node));
                }
                ShardOutcome so = new ShardOutcome(table, shard, rs, "");
                if (!so.anyApplied()) {
                    failedShards.put(shard, so.replicas().isEmpty() ? so.name() + " has no writable replica"
                            : "no replica of " + so.name() + " applied it (" + so.replicas() + ")");
                    if (so.replicas().stream().anyMatch(ReplicaOutcome::uncertain)) {
                        uncertainShards.add(shard);
                        problems.add(so.name() + ": a replica may have applied it (" + so.replicas() + ")");
                    }
                    continue;
                }
                if (stopped == null) { // a replica the lease stopped sending to is not at fault
                    reportFailed(ack, so, g.snapshot().epoch(), problems);
                }
            }
        } finally {
            releaseGate();
            statCommitNanos += System.nanoTime() - t0;
        }
        String why = problems.isEmpty() ? null : String.join("; ", problems);
        for (Op op : g.ops()) {
            int shard = op.parts.get(0).shard();
            if (failedShards.containsKey(shard) && !uncertainShards.contains(shard)) {
                op.done.completeExceptionally(new WriteFailedError(op.what + " failed: " + failedShards.get(shard)
                        + "; nothing was written"));
            } else if (why != null) {
                op.done.completeExceptionally(new WriteFailedError(op.what + ": it is not known whether the rows were written ("
                        + why + "); the next read or write of " + table + " finishes or undoes it"));
            } else {
                op.done.complete(null);
            }
        }
        return why;
    }

    /** Step 1 of a group: its rows appended to every writable replica's pending table; null when it did not get that far. */
    private Group appendGroup(List<Op> ops) {
        Group g = placed(ops);
        if (g == null) {
            release();
            return null;
        }
        String what = g.what();
        ClusterSnapshot snapshot = g.snapshot();
        long timeoutMillis = g.timeoutMillis();
        long stamp = g.stamp();
        Map<String, Map<Integer, RayTable>> byNode = g.byNode();
        Map<Integer, List<String>> replicasOf = g.replicasOf();

        // step 1: append to the pending tables of every writable replica
        Map<String, CompletableFuture<ReplicaOutcome>> sent = new LinkedHashMap<>();
        byNode.forEach((node, parts) -> sent.put(node, send(snapshot, node, appendRequests(node, parts, what), timeoutMillis)));
        Map<String, ReplicaOutcome> appended = answers(sent, byNode);
        List<ShardOutcome> outcomes = new ArrayList<>();
        replicasOf.forEach((shard, nodes) -> {
            List<ReplicaOutcome> rs = new ArrayList<>();
            for (String node : nodes) {
                rs.add(appended.get(node));
            }
            List<String> skipped = new ArrayList<>();
            for (Replica r : snapshot.shard(table, shard).getReplicasList()) {
                if (!nodes.contains(r.getNodeId())) {
                    skipped.add(r.getNodeId() + " " + r.getState());
                }
            }
            outcomes.add(new ShardOutcome(table, shard, rs, String.join(", ", skipped)));
        });
        String stopped = stop(appended.values());
        if (stopped != null) {
            // pending rows are never read, and recovery drops the groups no replica committed
            ops.forEach(op -> op.done.completeExceptionally(new WriteFailedError(op.what + " failed: " + stopped
                    + "; nothing was written")));
            awaitCommit();
            breakLease(stopped);
            return null;
        }
        Acknowledgement ack = kit.acknowledgement(what);
        Set<Integer> failedShards = new HashSet<>();
        Map<Integer, String> whyFailed = new TreeMap<>();
        for (ShardOutcome s : outcomes) {
            if (!s.anyApplied()) {
                failedShards.add(s.shard());
                whyFailed.put(s.shard(), s.replicas().isEmpty()
                        ? s.name() + " has no writable replica" + (s.unwritable().isEmpty() ? "" : " (" + s.unwritable() + ")")
                        : "no replica of " + s.name() + " applied it (" + s.replicas() + ")");
                continue;
            }
            List<String> unreported = new ArrayList<>();
            reportFailed(ack, s, snapshot.epoch(), unreported);
            if (!unreported.isEmpty()) {
                failedShards.add(s.shard());
                whyFailed.put(s.shard(), String.join("; ", unreported));
            }
        }
        if (!failedShards.isEmpty()) {
            failSome(ops, byNode, appended, failedShards, whyFailed, snapshot, timeoutMillis, what, first(ops), stamp);
            return null;
        }
        appended.forEach((node, o) -> byNode.get(node).keySet().forEach(s -> initialized.add(key(node, s))));
        return g;
    }

    private static long first(List<Op> ops) {
        return ops.get(0).firstSeq;
    }

    /**
     * Step 2 of a group, on the committer: commit on every replica that holds the rows, while this
     * router's reads of the table wait; then acknowledge. Answers what went wrong (the lease must
     * then be left to recovery), or null.
     */
    private String commitGroup(Group g) {
        long t0 = System.nanoTime();
        try {
            return commitGroup0(g);
        } finally {
            statCommitNanos += System.nanoTime() - t0;
        }
    }

    private String commitGroup0(Group g) {
        List<Op> ops = g.ops();
        Map<String, Map<Integer, RayTable>> byNode = g.byNode();
        Map<Integer, List<String>> replicasOf = g.replicasOf();
        ClusterSnapshot snapshot = g.snapshot();
        long stamp = g.stamp();
        long timeoutMillis = g.timeoutMillis();
        Acknowledgement ack = kit.acknowledgement(g.what());
        List<String> problems = new ArrayList<>();
        Map<String, ReplicaOutcome> committed = new LinkedHashMap<>();
        holdGate();
        try {
            Map<String, CompletableFuture<ReplicaOutcome>> commits = new LinkedHashMap<>();
            byNode.forEach((node, parts) -> {
                Map<Integer, Long> rows = new LinkedHashMap<>();
                parts.forEach((shard, t) -> rows.put(shard, (long) t.rowCount()));
                commits.put(node, send(snapshot, node, List.of(AppendForms.commit(table, epoch, lease, rows, stamp)), timeoutMillis));
            });
            committed.putAll(answers(commits, byNode));
            String stopped = stop(committed.values());
            if (stopped != null) {
                problems.add(stopped);
            } else {
                for (int shard : replicasOf.keySet()) {
                    List<ReplicaOutcome> rs = new ArrayList<>();
                    for (String node : replicasOf.get(shard)) {
                        rs.add(committed.get(node));
                    }
                    ShardOutcome s = new ShardOutcome(table, shard, rs, "");
                    if (!s.anyApplied()) {
                        problems.add("no replica of " + s.name() + " committed it (" + s.replicas() + ")");
                        continue;
                    }
                    // reported while reads wait: none may read a replica that lacks the group
                    reportFailed(ack, s, snapshot.epoch(), problems);
                }
            }
        } finally {
            releaseGate();
        }
        if (!problems.isEmpty()) {
            String why = String.join("; ", problems);
            boolean noneCommitted = committed.values().stream().noneMatch(o -> o.ok() || o.uncertain());
            ops.forEach(op -> op.done.completeExceptionally(new WriteFailedError(noneCommitted
                    // recovery drops a group no replica committed
                    ? op.what + " failed: " + why + "; nothing was written"
                    : op.what + ": the write is committed on some shards but not yet on every one: " + why
                            + "; the next read or write of " + table + " finishes it")));
            return why;
        }
        ops.forEach(op -> op.done.complete(null));
        return null;
    }

    /**
     * Some shards of a group were written by no replica: the group is taken out of every pending
     * table again; the inserts that touch those shards fail, the others go again in the next group.
     */
    private void failSome(List<Op> ops, Map<String, Map<Integer, RayTable>> byNode, Map<String, ReplicaOutcome> appended,
            Set<Integer> failedShards, Map<Integer, String> whyFailed, ClusterSnapshot snapshot, long timeoutMillis, String what,
            long lo, long hi) {
        Map<String, CompletableFuture<ReplicaOutcome>> aborts = new LinkedHashMap<>();
        byNode.forEach((node, parts) -> {
            ReplicaOutcome o = appended.get(node);
            if (o.ok() || o.uncertain()) {
                aborts.put(node, send(snapshot, node, List.of(AppendForms.abort(table, epoch, lease, new ArrayList<>(parts.keySet()),
                        lo, hi)), timeoutMillis));
            }
        });
        List<String> left = new ArrayList<>();
        Acknowledgement ack = kit.acknowledgement(what);
        aborts.forEach((node, f) -> {
            ReplicaOutcome o = fenced(f.join());
            if (!o.ok() && stop(List.of(o)) != null) {
                left.add(node + ": " + stop(List.of(o)));
            } else if (!o.ok()) {
                for (int shard : byNode.get(node).keySet()) {
                    String problem = ack.report(new ShardOutcome(table, shard, List.of(o), ""), o, snapshot.epoch());
                    if (problem != null) {
                        left.add(problem);
                    } else {
                        excluded.add(key(node, shard));
                    }
                }
            }
        });
        List<Op> again = new ArrayList<>();
        for (Op op : ops) {
            List<String> reasons = new ArrayList<>();
            for (int s : op.shards()) {
                if (failedShards.contains(s)) {
                    reasons.add(whyFailed.get(s));
                }
            }
            if (reasons.isEmpty()) {
                again.add(op);
            } else {
                List<Integer> written = new ArrayList<>(new java.util.TreeSet<>(op.shards()));
                written.removeAll(failedShards);
                op.done.completeExceptionally(new WriteFailedError(op.what + " failed: " + String.join("; ", reasons) + "; "
                        + (!left.isEmpty() ? "rows remain pending where they could not be removed: " + String.join("; ", left)
                        + "; the next read or write of " + table + " removes them"
                        : written.isEmpty() ? "nothing was written"
                        : "the rows written to shards " + written + " were removed again, so nothing was written")));
            }
        }
        synchronized (this) {
            for (int i = again.size() - 1; i >= 0; i--) {
                queue.addFirst(again.get(i));
            }
        }
        if (!left.isEmpty()) {
            awaitCommit();
            breakLease(String.join("; ", left));
        }
    }

    /**
     * Reports the failed replicas of a shard some replica applied a step on (STALE; the leader
     * answers once every router stopped reading them) and leaves them out of the lease's later
     * groups; what could not be reported is added to {@code problems}.
     */
    private void reportFailed(Acknowledgement ack, ShardOutcome s, long epoch, List<String> problems) {
        for (ReplicaOutcome r : s.failed()) {
            String problem = ack.report(s, r, epoch);
            if (problem != null) {
                problems.add(problem);
            } else {
                excluded.add(key(r.nodeId(), s.shard()));
            }
        }
    }

    /** One node's requests of a group: one, unless the rows are too large for one request. */
    private List<RayValue> appendRequests(String node, Map<Integer, RayTable> parts, String what) {
        List<Integer> init = new ArrayList<>();
        for (int s : parts.keySet()) {
            if (!initialized.contains(key(node, s))) {
                init.add(s);
            }
        }
        long bytes = 0;
        for (RayTable t : parts.values()) {
            bytes += ValueWriter.sizeOf(t);
        }
        if (bytes <= Chunks.TARGET_BYTES) {
            return List.of(AppendForms.append(table, epoch, lease, init, parts));
        }
        List<RayValue> out = new ArrayList<>();
        parts.forEach((shard, rowsOfShard) -> {
            boolean first = true;
            for (RayTable chunk : Chunks.of(rowsOfShard, what)) {
                out.add(AppendForms.append(table, epoch, lease, first && init.contains(shard) ? List.of(shard) : List.of(),
                        Map.of(shard, chunk)));
                first = false;
            }
        });
        return out;
    }

    private CompletableFuture<ReplicaOutcome> send(ClusterSnapshot snapshot, String nodeId, List<RayValue> requests,
            long timeoutMillis) {
        NodeInfo node = snapshot.nodes().get(nodeId);
        if (node == null) {
            return CompletableFuture.completedFuture(ReplicaOutcome.failed(nodeId, "node is not a member of the cluster at epoch "
                    + snapshot.epoch()));
        }
        try {
            requests.forEach(ReplicaWrites::check);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(ReplicaOutcome.failed(nodeId, e.getMessage()));
        }
        return kit.replicas.send(node, table, requests, timeoutMillis);
    }

    /**
     * The answers of one step's requests, a fence that did not hold counted as a failure; a node
     * still silent past its grace ({@link PeerGrace}) after a peer of each of its shards applied the
     * step is not waited for (it is reported STALE like any replica that failed).
     */
    private static Map<String, ReplicaOutcome> answers(Map<String, CompletableFuture<ReplicaOutcome>> sent,
            Map<String, Map<Integer, RayTable>> byNode) {
        Map<String, Set<Integer>> shardsOf = new LinkedHashMap<>();
        sent.keySet().forEach(node -> shardsOf.put(node, byNode.get(node).keySet()));
        Map<String, ReplicaOutcome> out = new LinkedHashMap<>();
        PeerGrace.await(sent, shardsOf, PeerGrace.MILLIS, o -> fenced(o).ok()).join().forEach((node, o) -> out.put(node, fenced(o)));
        return out;
    }

    /**
     * An answer of -1 means a replica's fence did not hold: another router recovered this lease;
     * -2, that a commit did not find the group's rows pending there (nothing changed).
     */
    private static ReplicaOutcome fenced(ReplicaOutcome o) {
        if (o.ok() && o.answer() instanceof I64Atom a && a.value() == AppendForms.FENCED) {
            return ReplicaOutcome.failed(o.nodeId(), FENCED);
        }
        if (o.ok() && o.answer() instanceof I64Atom a && a.value() == AppendForms.NOT_PENDING) {
            return ReplicaOutcome.failed(o.nodeId(), "the group's rows were not all pending there; nothing was committed");
        }
        return o;
    }

    /**
     * Why the lease must stop sending, or null: a replica's fence did not hold (another router
     * recovered the lease), or this router's write fence stopped a request (the session that holds
     * the lease's write lock ended, or was not proven alive).
     */
    private static String stop(Collection<ReplicaOutcome> outcomes) {
        for (ReplicaOutcome o : outcomes) {
            if (FENCED.equals(o.failure())) {
                return "another router recovered this router's write lease (its ZooKeeper session ended)";
            }
            if (o.stopped()) {
                return o.failure();
            }
        }
        return null;
    }

    private static RayTable concat(List<RayTable> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        RayTable first = parts.get(0);
        List<Vector> cols = new ArrayList<>();
        for (int c = 0; c < first.columnCount(); c++) {
            List<Vector> col = new ArrayList<>();
            for (RayTable p : parts) {
                col.add(p.column(c));
            }
            cols.add(Vector.concat(col));
        }
        return RayTable.of(first.columnNames(), cols);
    }

    private static String key(String node, int shard) {
        return node + "/" + shard;
    }

    /** Fails every queued insert (holding the monitor). */
    private void failAll(RuntimeException e) {
        Op op;
        while ((op = queue.poll()) != null) {
            op.done.completeExceptionally(e);
        }
    }

    /** Fails the queued inserts of the table as created at {@code createdEpoch}. */
    private synchronized void failEpoch(long createdEpoch, RuntimeException e) {
        queue.removeIf(op -> {
            if (op.spec.getCreatedEpoch() == createdEpoch) {
                op.done.completeExceptionally(e);
                return true;
            }
            return false;
        });
    }
}
