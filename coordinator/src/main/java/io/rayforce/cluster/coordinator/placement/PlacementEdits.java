package io.rayforce.cluster.coordinator.placement;

import io.rayforce.cluster.coordinator.proto.Replica;
import io.rayforce.cluster.coordinator.proto.ReplicaState;
import io.rayforce.cluster.coordinator.proto.ShardPlacement;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import java.util.Optional;

/** Small pure edits of a table's placement (each returns a new placement). */
public final class PlacementEdits {
    private PlacementEdits() {
    }

    /** The replica of {@code shard} on {@code node}, if any. */
    public static Optional<Replica> replica(TablePlacement t, int shard, String node) {
        return t.getShards(shard).getReplicasList().stream().filter(r -> r.getNodeId().equals(node)).findFirst();
    }

    /** The state of the replica of {@code shard} on {@code node}, or null when there is none. */
    public static ReplicaState state(TablePlacement t, int shard, String node) {
        return replica(t, shard, node).map(Replica::getState).orElse(null);
    }

    /** {@code t} with the replica on {@code node} in {@code state}, added at the end when missing. */
    public static TablePlacement withReplica(TablePlacement t, int shard, String node, ReplicaState state) {
        ShardPlacement s = t.getShards(shard);
        ShardPlacement.Builder b = s.toBuilder();
        for (int i = 0; i < s.getReplicasCount(); i++) {
            if (s.getReplicas(i).getNodeId().equals(node)) {
                b.setReplicas(i, s.getReplicas(i).toBuilder().setState(state));
                return t.toBuilder().setShards(shard, b).build();
            }
        }
        b.addReplicas(Replica.newBuilder().setNodeId(node).setState(state));
        return t.toBuilder().setShards(shard, b).build();
    }

    /** {@code t} without the replica of {@code shard} on {@code node}. */
    public static TablePlacement without(TablePlacement t, int shard, String node) {
        ShardPlacement s = t.getShards(shard);
        ShardPlacement.Builder b = s.toBuilder().clearReplicas();
        s.getReplicasList().stream().filter(r -> !r.getNodeId().equals(node)).forEach(b::addReplicas);
        return t.toBuilder().setShards(shard, b).build();
    }
}
