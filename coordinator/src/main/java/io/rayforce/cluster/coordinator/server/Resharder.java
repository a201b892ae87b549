package io.rayforce.cluster.coordinator.server;

import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.placement.PlacementEdits;
import io.rayforce.cluster.coordinator.placement.PlacementException;
import io.rayforce.cluster.coordinator.placement.PlacementPlanner;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.coordinator.proto.Replica;
import io.rayforce.cluster.coordinator.proto.ReplicaState;
import io.rayforce.cluster.coordinator.proto.ReshardRequest;
import io.rayforce.cluster.coordinator.proto.ReshardResponse;
import io.rayforce.cluster.coordinator.proto.ShardInfo;
import io.rayforce.cluster.coordinator.proto.ShardPlacement;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.store.DdlLocks;
import io.rayforce.cluster.coordinator.store.NoSuchTableException;
import io.rayforce.cluster.coordinator.store.NodeCommands;
import io.rayforce.cluster.coordinator.store.PlacementCommit;
import io.rayforce.cluster.coordinator.store.PlacementStore;
import io.rayforce.cluster.coordinator.store.RouterBarrier;
import io.rayforce.cluster.coordinator.store.TableLock;
import io.rayforce.cluster.coordinator.store.TableLocks;
import io.rayforce.cluster.coordinator.store.WriteIntents;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits a table into more shards online (docs/architecture.md, Resharding). New shard s of M
 * takes the rows of old shard s mod N whose key the shard function sends to s, so M must be a
 * larger multiple of N. The new shards share the old ones' engine names ({@code t__s}), so the
 * rows are first put into staging globals ({@code t__s__split}) and swapped in while nobody reads
 * or writes the table:
 * <ol>
 *   <li>the table's shard tasks are held off and its intent folder pinned, and the write mark
 *       read ({@link WriteIntents#writeMark}: every write records an intent, so an unchanged mark
 *       means no write began or ended);</li>
 *   <li>without any table lock, each new replica's node fills its staging global from a LIVE
 *       replica of the old shard ({@code SplitShard});</li>
 *   <li>the leader takes the table's write lock (readers and writers wait from now on). When the
 *       mark moved, a write ran during the copy: it lets go and copies again; after
 *       {@value #ROUNDS} tries the copy is made under the lock;</li>
 *   <li>switch: the new layout is written at E+1 with every new replica STALE (serves no read,
 *       takes no write), each node swaps its staging global in ({@code SwapSplit}, one engine
 *       request), the swapped replicas become LIVE at E+2, every router applies E+2, and the
 *       lock is let go;</li>
 *   <li>the old shards that nobody holds under the new layout are dropped from their nodes.</li>
 * </ol>
 * A leader that dies after E+1 leaves STALE replicas whose staging globals the next leader's
 * reconcile loop swaps in ({@code Reconciler}, {@link ShardMover#finishSplit}); until then the
 * table's reads and writes fail cleanly (no LIVE replica), never answer wrong. Before E+1 nothing
 * visible changed: the staging globals are deleted again when the reshard fails.
 */
final class Resharder implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Resharder.class);
    /** Copies made without the lock before the last, which is made under it. */
    static final int ROUNDS = 3;

    private final PlacementStore store;
    private final NodeCommands nodes;
    private final TaskRunner runner;
    private final RouterBarrier routers;
    private final TableLocks tableLocks;
    private final WriteIntents intents;
    private final Duration routerWait;
    private final Duration lockWait;
    private final ExecutorService rpc = Executors.newFixedThreadPool(4, Workers.daemons("reshard-rpc"));

    Resharder(PlacementStore store, NodeCommands nodes, TaskRunner runner, RouterBarrier routers, TableLocks tableLocks,
            WriteIntents intents, Duration routerWait, Duration lockWait) {
        this.store = store;
        this.nodes = nodes;
        this.runner = runner;
        this.routers = routers;
        this.tableLocks = tableLocks;
        this.intents = intents;
        this.routerWait = routerWait;
        this.lockWait = lockWait;
    }

    /**
     * @throws NoSuchTableException when there is no such table
     * @throws PlacementException when the table cannot be split so (replicated to all, not a larger
     *         multiple, too few nodes, an unfinished write of a dead router in the way)
     */
    @SuppressWarnings("try") // the locks are held for the block
    ReshardResponse reshard(ReshardRequest req) throws Exception {
        String name = req.getTable();
        int m = req.getShardCount();
        TablePlacement next = null;
        try (DdlLocks.Held ddl = store.lockTable(name); AutoCloseable hold = runner.holdTable(name);
             AutoCloseable pin = intents.pin(name, "reshard")) {
            awaitNoShardTask(name);
            for (int round = 1; ; round++) {
                boolean last = round == ROUNDS;
                ClusterSnapshot snap = store.currentSnapshot();
                TablePlacement old = snap.table(name).orElseThrow(() -> new NoSuchTableException("no table " + name));
                next = PlacementPlanner.placeSplit(old, m, snap, PlacementPlanner.eligibleNodes(snap));
                long mark = intents.writeMark(name);
                long rows = last ? 0 : split(snap, old, next);
                ReshardResponse done;
                try (TableLock lock = tableLocks.write(name, lockWait)) {
                    long t0 = System.nanoTime();
                    if (intents.any(name)) {
                        if (last) {
                            throw new PlacementException("table " + name + " has an unfinished write whose router died; the next "
                                    + "read of the table recovers it, then try again");
                        }
                        continue; // let go: the next reader recovers it
                    }
                    ClusterSnapshot now = store.currentSnapshot();
                    if (!sameLayout(now, old) || !targetsAreMembers(now, next)) {
                        if (last) {
                            throw new PlacementException("the placement of " + name + " kept changing during the reshard");
                        }
                        continue;
                    }
                    if (last || intents.writeMark(name) != mark) {
                        if (!last) {
                            log.info("reshard of {}: a write ran during copy {}, copying again", name, round);
                            continue;
                        }
                        rows = split(now, now.table(name).orElseThrow(), next);
                    }
                    long epoch = switchOver(name, next);
                    done = ReshardResponse.newBuilder().setEpoch(epoch).setRows(rows)
                            .setSwitchMillis((System.nanoTime() - t0) / 1_000_000).build();
                }
                dropRetired(name, old, next);
                log.info("table {} resharded from {} to {} shards at epoch {} ({} rows, readers and writers held {} ms)", name,
                        old.getSpec().getShardCount(), m, done.getEpoch(), rows, done.getSwitchMillis());
                return done;
            }
        } catch (Exception e) {
            if (next != null && !switched(name, m)) {
                discardStaging(name, next);
            }
            throw e;
        }
    }

    /** Fills every new replica's staging global, all at once; answers the rows of the new shards (once per shard). */
    private long split(ClusterSnapshot snap, TablePlacement old, TablePlacement next) throws Exception {
        int n = old.getSpec().getShardCount();
        Map<Integer, Long> rows = new ConcurrentHashMap<>();
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        for (ShardPlacement s : next.getShardsList()) {
            NodeInfo source = ShardMover.liveSource(snap, old, s.getShard() % n, "").orElseThrow(() -> new PlacementException(
                    "old shard " + old.getSpec().getName() + "/" + (s.getShard() % n) + " has no LIVE replica to split"));
            for (Replica r : s.getReplicasList()) {
                NodeInfo target = snap.node(r.getNodeId()).orElseThrow(() -> new PlacementException("node " + r.getNodeId() + " left"));
                calls.add(CompletableFuture.runAsync(() -> {
                    ShardInfo info = nodes.splitShard(target, old.getSpec(), next.getSpec().getShardCount(), s.getShard(), source);
                    rows.put(s.getShard(), info.getRows());
                }, rpc));
            }
        }
        Workers.awaitAll(calls);
        return rows.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Writes the new layout (replicas STALE), swaps every staging global in, marks the swapped
     * replicas LIVE and waits for the routers; answers the epoch of the LIVE replicas.
     */
    private long switchOver(String name, TablePlacement next) throws Exception {
        int oldCount = store.currentSnapshot().table(name).orElseThrow().getSpec().getShardCount();
        PlacementCommit layout = store.replaceTable(name, p -> p.getSpec().getShardCount() != oldCount ? p
                : next.toBuilder().setSpec(p.getSpec().toBuilder().setShardCount(next.getSpec().getShardCount())).build());
        if (!layout.changed()) {
            throw new PlacementException("table " + name + " changed its layout meanwhile");
        }
        ClusterSnapshot snap = store.view().awaitEpoch(layout.epoch(), Duration.ofSeconds(10));
        Set<String> swapped = ConcurrentHashMap.newKeySet();
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        for (ShardPlacement s : next.getShardsList()) {
            for (Replica r : s.getReplicasList()) {
                calls.add(CompletableFuture.runAsync(() -> {
                    try {
                        if (nodes.swapSplit(snap.node(r.getNodeId()).orElseThrow(), name, s.getShard(), false) >= 0) {
                            swapped.add(s.getShard() + "/" + r.getNodeId());
                        }
                    } catch (RuntimeException e) {
                        log.warn("reshard of {}: swap of shard {} on {} failed (the reconcile loop finishes it): {}", name,
                                s.getShard(), r.getNodeId(), e.toString());
                    }
                }, rpc));
            }
        }
        calls.forEach(CompletableFuture::join);
        PlacementCommit live = store.update(view -> view.table(name).map(t -> {
            TablePlacement p = t;
            for (String key : swapped) {
                int shard = Integer.parseInt(key.substring(0, key.indexOf('/')));
                String node = key.substring(key.indexOf('/') + 1);
                if (PlacementEdits.state(p, shard, node) == ReplicaState.STALE) {
                    p = PlacementEdits.withReplica(p, shard, node, ReplicaState.LIVE);
                }
            }
            return p.equals(t) ? List.<TablePlacement>of() : List.of(p);
        }).orElse(List.of()));
        if (!routers.awaitRoutersAt(live.epoch(), routerWait)) {
            log.warn("reshard of {}: routers {} have not applied epoch {} after {} ms", name, routers.behind(live.epoch()),
                    live.epoch(), routerWait.toMillis());
        }
        return live.epoch();
    }

    /** Drops the old shards from the nodes that do not hold the same shard number in the new layout (best effort). */
    private void dropRetired(String name, TablePlacement old, TablePlacement next) {
        ClusterSnapshot snap = store.view().snapshot();
        for (ShardPlacement s : old.getShardsList()) {
            Set<String> keep = PlacementPlanner.holders(next.getShards(s.getShard()));
            for (Replica r : s.getReplicasList()) {
                if (!keep.contains(r.getNodeId())) {
                    snap.node(r.getNodeId()).ifPresent(node -> {
                        try {
                            nodes.dropShard(node, name, s.getShard());
                        } catch (RuntimeException e) {
                            log.info("could not drop old shard {}/{} on {} (dropped when the node joins again): {}", name,
                                    s.getShard(), node.getId(), e.getMessage());
                        }
                    });
                }
            }
        }
    }

    private void discardStaging(String name, TablePlacement next) {
        ClusterSnapshot snap = store.view().snapshot();
        for (ShardPlacement s : next.getShardsList()) {
            for (Replica r : s.getReplicasList()) {
                snap.node(r.getNodeId()).ifPresent(node -> {
                    try {
                        nodes.swapSplit(node, name, s.getShard(), true);
                    } catch (RuntimeException e) {
                        log.info("could not delete the staging table of {}/{} on {}: {}", name, s.getShard(), node.getId(), e.getMessage());
                    }
                });
            }
        }
    }

    private boolean switched(String name, int m) {
        return store.view().snapshot().table(name).map(t -> t.getSpec().getShardCount() == m).orElse(false);
    }

    /** The table still has the spec and the replica nodes it was split from. */
    private static boolean sameLayout(ClusterSnapshot now, TablePlacement old) {
        TablePlacement t = now.table(old.getSpec().getName()).orElse(null);
        if (t == null || !t.getSpec().equals(old.getSpec())) {
            return false;
        }
        for (int i = 0; i < t.getShardsCount(); i++) {
            if (!holdersLive(t.getShards(i)).equals(holdersLive(old.getShards(i)))) {
                return false;
            }
        }
        return true;
    }

    private static Set<String> holdersLive(ShardPlacement s) {
        Set<String> out = new TreeSet<>();
        s.getReplicasList().stream().filter(r -> r.getState() == ReplicaState.LIVE).forEach(r -> out.add(r.getNodeId()));
        return out;
    }

    private static boolean targetsAreMembers(ClusterSnapshot now, TablePlacement next) {
        return next.getShardsList().stream().flatMap(s -> s.getReplicasList().stream()).allMatch(r -> now.node(r.getNodeId()).isPresent());
    }

    private void awaitNoShardTask(String name) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + lockWait.toNanos();
        while (runner.anyRunning(name)) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("shard tasks of " + name + " still run");
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        rpc.shutdownNow();
    }
}
