package io.rayforce.cluster.coordinator.server;

import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.placement.PlacementPlanner;
import io.rayforce.cluster.coordinator.proto.DropTableResponse;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.coordinator.proto.Replica;
import io.rayforce.cluster.coordinator.proto.ShardPlacement;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.coordinator.store.DdlLocks;
import io.rayforce.cluster.coordinator.store.NoSuchTableException;
import io.rayforce.cluster.coordinator.store.NodeCommands;
import io.rayforce.cluster.coordinator.store.PlacementStore;
import io.rayforce.cluster.coordinator.store.RouterBarrier;
import io.rayforce.cluster.coordinator.store.TableExistsException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Table DDL on the placement leader. Create: the spec is validated, the shards placed
 * ({@link PlacementPlanner#placeTable}) and created on their nodes, then the table is written
 * with every replica LIVE at one epoch (when that fails, the shards are dropped again). Drop: the
 * table disappears at one epoch, the routers are given time to apply it, then its shards are
 * dropped from the nodes (best effort; a node that was away drops them when it joins again, see
 * {@link OrphanShards}). Each holds the table name's lock ({@link PlacementStore#lockTable})
 * from start to end, so creates and drops of one name take turns. Node calls run in parallel
 * on a pool of its own.
 */
final class DdlHandler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DdlHandler.class);

    private final PlacementStore store;
    private final NodeCommands nodes;
    private final RouterBarrier routers;
    private final Duration routerWait;
    private final ExecutorService rpc = Executors.newFixedThreadPool(16, Workers.daemons("placement-rpc"));
    private final Set<String> creating = ConcurrentHashMap.newKeySet();

    /**
     * @param store the leader's (fenced) store
     * @param routerWait how long a drop waits for the routers before it drops the shards anyway
     */
    DdlHandler(PlacementStore store, NodeCommands nodes, RouterBarrier routers, Duration routerWait) {
        this.store = store;
        this.nodes = nodes;
        this.routers = routers;
        this.routerWait = routerWait;
    }

    /**
     * Creates a table; with {@code ifNotExists}, an existing table of the same spec is returned as
     * it is.
     *
     * @throws InvalidSpecException naming the field of the spec that breaks a rule
     * @throws TableExistsException when the name is taken (with another spec, for {@code ifNotExists})
     */
    TablePlacement createTable(TableSpec requested, boolean ifNotExists) throws Exception {
        return createTable(requested, ifNotExists, "");
    }

    /** As above, placed beside table {@code colocateWith} when it exists ({@link PlacementPlanner#placeLike}). */
    @SuppressWarnings("try") // the table lock is held for the block
    TablePlacement createTable(TableSpec requested, boolean ifNotExists, String colocateWith) throws Exception {
        TableSpec spec = TableSpecValidator.validate(requested);
        try (DdlLocks.Held held = store.lockTable(spec.getName())) {
            ClusterSnapshot snap = store.currentSnapshot();
            TablePlacement existing = snap.table(spec.getName()).orElse(null);
            if (existing != null) {
                if (ifNotExists && existing.getSpec().toBuilder().clearCreatedEpoch().clearSpecEpoch().build().equals(spec)) {
                    return existing;
                }
                throw new TableExistsException("table " + spec.getName() + " already exists"
                        + (ifNotExists ? " with a different spec" : ""));
            }
            List<String> eligible = PlacementPlanner.eligibleNodes(snap);
            List<ShardPlacement> shards = colocateWith.isEmpty() ? PlacementPlanner.placeTable(spec, snap, eligible)
                    : PlacementPlanner.placeLike(spec, snap, eligible, snap.table(colocateWith).orElse(null));
            creating.add(spec.getName());
            try {
                createShards(snap, spec, shards);
                TablePlacement written;
                try {
                    written = store.createTable(TablePlacement.newBuilder().setSpec(spec).addAllShards(shards).build());
                } catch (TableExistsException e) {
                    throw e; // someone else's table: its shards are not ours to drop
                } catch (RuntimeException e) {
                    dropShards(snap, spec.getName(), shards);
                    throw e;
                }
                return written;
            } finally {
                creating.remove(spec.getName());
            }
        }
    }

    /**
     * Drops a table; with {@code ifExists}, a missing table is no error ({@code dropped} false).
     *
     * @throws NoSuchTableException when there is no such table and not {@code ifExists}
     */
    @SuppressWarnings("try") // the table lock is held for the block
    DropTableResponse dropTable(String name, boolean ifExists) throws Exception {
        try (DdlLocks.Held held = store.lockTable(name)) {
            ClusterSnapshot snap = store.currentSnapshot();
            TablePlacement t = snap.table(name).orElse(null);
            long epoch;
            try {
                epoch = store.dropTable(name);
            } catch (NoSuchTableException e) {
                if (ifExists) {
                    return DropTableResponse.newBuilder().setDropped(false).setEpoch(store.currentEpoch()).build();
                }
                throw e;
            }
            routers.awaitRoutersAt(epoch, routerWait);
            if (t != null) {
                dropShards(snap, name, t.getShardsList());
            }
            return DropTableResponse.newBuilder().setDropped(true).setEpoch(epoch).build();
        }
    }

    /** Whether a table of that name is being created now (its shards may be on nodes before its placement is written). */
    boolean isCreating(String table) {
        return creating.contains(table);
    }

    @Override
    public void close() {
        rpc.shutdownNow();
    }

    private void createShards(ClusterSnapshot snap, TableSpec spec, List<ShardPlacement> shards) {
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        for (ShardPlacement s : shards) {
            for (Replica r : s.getReplicasList()) {
                NodeInfo node = snap.node(r.getNodeId()).orElseThrow();
                calls.add(CompletableFuture.runAsync(() -> nodes.createShard(node, spec, s.getShard()), rpc));
            }
        }
        try {
            Workers.awaitAll(calls);
        } catch (Exception e) {
            dropShards(snap, spec.getName(), shards);
            throw e instanceof RuntimeException re ? re : new IllegalStateException(e.getMessage(), e);
        }
    }

    private void dropShards(ClusterSnapshot snap, String table, List<ShardPlacement> shards) {
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        for (ShardPlacement s : shards) {
            for (Replica r : s.getReplicasList()) {
                snap.node(r.getNodeId()).ifPresent(node -> calls.add(CompletableFuture.runAsync(() -> {
                    try {
                        nodes.dropShard(node, table, s.getShard());
                    } catch (RuntimeException e) {
                        log.info("could not drop {}/{} on {} (a later check drops it): {}", table, s.getShard(), node.getId(), e.getMessage());
                    }
                }, rpc)));
            }
        }
        calls.forEach(CompletableFuture::join);
    }
}
