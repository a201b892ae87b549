package io.rayforce.cluster.router.exec;

import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.coordinator.proto.Replica;
import io.rayforce.cluster.coordinator.proto.ReplicaState;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import java.util.ArrayList;
import java.util.List;

/** Which replicas may run a unit: any LIVE one, or only those that also hold a companion shard. */
@FunctionalInterface
public interface ReplicaChoice {
    /** Any LIVE replica of the unit's shard. */
    ReplicaChoice ANY = (snapshot, unit) -> snapshot.liveReplicas(unit.table(), unit.shard());

    List<NodeInfo> candidates(ClusterSnapshot snapshot, UnitId unit);

    /**
     * LIVE replicas of the unit's shard on nodes that also hold a LIVE replica of the same shard
     * of {@code companion} (shard 0 when the companion is replicated to every node): where a
     * co-located join can run.
     */
    static ReplicaChoice alsoHolding(String companion) {
        return (snapshot, unit) -> {
            List<NodeInfo> out = new ArrayList<>();
            for (NodeInfo n : snapshot.liveReplicas(unit.table(), unit.shard())) {
                if (holds(snapshot, companion, unit.shard(), n.getId())) {
                    out.add(n);
                }
            }
            return out;
        };
    }

    /** True when {@code node} holds a LIVE replica of the companion's shard. */
    static boolean holds(ClusterSnapshot snapshot, String table, int shard, String node) {
        TablePlacement t = snapshot.table(table).orElse(null);
        if (t == null) {
            return false;
        }
        int s = t.getSpec().getReplicatedToAll() ? 0 : shard;
        for (Replica r : snapshot.shard(table, s).getReplicasList()) {
            if (r.getNodeId().equals(node) && r.getState() == ReplicaState.LIVE) {
                return true;
            }
        }
        return false;
    }
}
