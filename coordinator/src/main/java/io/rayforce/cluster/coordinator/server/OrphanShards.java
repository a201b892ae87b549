package io.rayforce.cluster.coordinator.server;

import io.rayforce.cluster.coordinator.meta.ClusterNaming.ShardRef;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.placement.PlacementEdits;
import io.rayforce.cluster.coordinator.proto.ListShardsResponse;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.coordinator.proto.ShardInfo;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.store.ClusterView;
import io.rayforce.cluster.coordinator.store.NodeCommands;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops the shards a node holds that the placement does not give it: left over from a repair or
 * a drop while the node was away. The reconcile loop sweeps every node that joins. Shards with a
 * task running and shards of a table being created are left alone (their placement is on its
 * way), and every shard is checked against the newest snapshot just before it is dropped.
 */
final class OrphanShards {
    private static final Logger log = LoggerFactory.getLogger(OrphanShards.class);

    private final ClusterView view;
    private final NodeCommands nodes;
    private final Predicate<ShardRef> busy;
    private final Predicate<String> creating;

    /**
     * @param busy whether a shard has a task running
     * @param creating whether a table is being created
     */
    OrphanShards(ClusterView view, NodeCommands nodes, Predicate<ShardRef> busy, Predicate<String> creating) {
        this.view = view;
        this.nodes = nodes;
        this.busy = busy;
        this.creating = creating;
    }

    /** Lists the node's shards and drops those not placed there. Failures are logged, never thrown (the next join sweeps again). */
    void sweep(String nodeId) {
        try {
            NodeInfo node = view.snapshot().node(nodeId).orElse(null);
            if (node == null || node.getControlPort() <= 0) {
                return;
            }
            ListShardsResponse held = nodes.listShards(node);
            for (ShardInfo info : held.getShardsList()) {
                ShardRef ref = new ShardRef(info.getTable(), info.getShard());
                if (!placed(view.snapshot(), ref, nodeId) && !busy.test(ref) && !creating.test(info.getTable())) {
                    log.info("dropping {} from {}: not placed there", ref, nodeId);
                    nodes.dropShard(node, info.getTable(), info.getShard());
                }
            }
        } catch (RuntimeException e) {
            log.debug("orphan check of node {} failed: {}", nodeId, e.toString());
        }
    }

    /** Whether the placement gives {@code nodeId} a replica of the shard (in any state). */
    static boolean placed(ClusterSnapshot snap, ShardRef ref, String nodeId) {
        TablePlacement t = snap.table(ref.table()).orElse(null);
        return t != null && ref.shard() < t.getShardsCount() && PlacementEdits.state(t, ref.shard(), nodeId) != null;
    }
}
