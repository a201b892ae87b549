package io.rayforce.cluster.coordinator.server;

import io.rayforce.cluster.coordinator.placement.PlacementEdits;
import io.rayforce.cluster.coordinator.placement.PlacementException;
import io.rayforce.cluster.coordinator.proto.ReplicaState;
import io.rayforce.cluster.coordinator.proto.ReportReplicaFailureRequest;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.store.NoSuchTableException;
import io.rayforce.cluster.coordinator.store.PlacementCommit;
import io.rayforce.cluster.coordinator.store.PlacementStore;
import io.rayforce.cluster.coordinator.store.RouterBarrier;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replica failures routers report (a write a replica did not apply): the replica becomes STALE
 * at a new epoch, and the answer waits until every registered router has applied that epoch, so
 * no read can reach the replica once the write is acknowledged. The reconcile loop re-fills it.
 */
final class ReplicaFailures {
    private static final Logger log = LoggerFactory.getLogger(ReplicaFailures.class);

    private final PlacementStore store;
    private final RouterBarrier routers;
    private final Duration routerWait;

    /**
     * @param store the leader's (fenced) store
     * @param routerWait how long the answer waits for the routers
     */
    ReplicaFailures(PlacementStore store, RouterBarrier routers, Duration routerWait) {
        this.store = store;
        this.routers = routers;
        this.routerWait = routerWait;
    }

    /**
     * Marks a LIVE or COPYING replica STALE (one already STALE, DOWN or DROPPING stays as it is),
     * in one placement change with the check that a replica that applied the write (the request's
     * {@code applied_nodes}, when given) is LIVE.
     *
     * @return the epoch the routers have applied, at which the replica is not LIVE
     * @throws NoSuchTableException when the table does not exist
     * @throws InvalidSpecException when the shard does not exist or has no replica on that node
     * @throws TimeoutException naming the routers that did not apply the epoch in time
     * @throws PlacementException when no replica that applied the write is LIVE (nothing is marked)
     */
    long report(ReportReplicaFailureRequest req) throws Exception {
        TablePlacement t = store.currentSnapshot().table(req.getTable())
                .orElseThrow(() -> new NoSuchTableException("no table " + req.getTable()));
        if (req.getShard() < 0 || req.getShard() >= t.getShardsCount()) {
            throw new InvalidSpecException("shard", "table " + req.getTable() + " has no shard " + req.getShard());
        }
        if (PlacementEdits.state(t, req.getShard(), req.getNodeId()) == null) {
            throw new InvalidSpecException("node_id", "shard " + req.getTable() + "/" + req.getShard()
                    + " has no replica on node " + req.getNodeId());
        }
        AtomicReference<String> noLiveCopy = new AtomicReference<>();
        PlacementCommit c = store.update(s -> s.table(req.getTable()).map(p -> {
            noLiveCopy.set(null);
            if (req.getAppliedNodesCount() > 0 && req.getAppliedNodesList().stream()
                    .noneMatch(n -> PlacementEdits.state(p, req.getShard(), n) == ReplicaState.LIVE)) {
                noLiveCopy.set(req.getAppliedNodesList().stream()
                        .map(n -> n + " " + PlacementEdits.state(p, req.getShard(), n)).toList().toString());
                return List.<TablePlacement>of();
            }
            ReplicaState st = PlacementEdits.state(p, req.getShard(), req.getNodeId());
            return st == ReplicaState.LIVE || st == ReplicaState.COPYING
                    ? List.of(PlacementEdits.withReplica(p, req.getShard(), req.getNodeId(), ReplicaState.STALE))
                    : List.<TablePlacement>of();
        }).orElse(List.of()));
        if (noLiveCopy.get() != null) {
            log.warn("{}/{}: replica on {} not marked STALE: no replica that applied the write is LIVE ({})", req.getTable(),
                    req.getShard(), req.getNodeId(), noLiveCopy.get());
            throw new PlacementException("the replica of " + req.getTable() + "/" + req.getShard() + " on " + req.getNodeId()
                    + " is not marked STALE: no replica that applied the write is LIVE any more (" + noLiveCopy.get() + ")");
        }
        if (c.changed()) {
            log.info("{}/{}: replica on {} marked STALE at epoch {} ({})", req.getTable(), req.getShard(), req.getNodeId(),
                    c.epoch(), req.getReason().isEmpty() ? "write failed" : req.getReason());
        }
        routers.awaitRoutersOrFail(c.epoch(), routerWait);
        return c.epoch();
    }
}
