package io.rayforce.cluster.coordinator.testing;

import io.rayforce.cluster.coordinator.proto.ColumnSpec;
import io.rayforce.cluster.coordinator.proto.Replica;
import io.rayforce.cluster.coordinator.proto.ReplicaState;
import io.rayforce.cluster.coordinator.proto.ShardPlacement;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import java.util.List;

/** Test placements built by hand. */
public final class Placements {
    private Placements() {
    }

    public static TableSpec spec(String name, int shards, int replication) {
        return TableSpec.newBuilder().setName(name)
                .addColumns(ColumnSpec.newBuilder().setName("sym").setType("symbol"))
                .addColumns(ColumnSpec.newBuilder().setName("px").setType("f64"))
                .setShardKey("sym").setShardCount(shards).setReplicationFactor(replication).build();
    }

    /** Shard s on nodes[(s + r) % n] for r < replication, all LIVE. */
    public static TablePlacement roundRobin(String name, int shards, int replication, List<String> nodes) {
        TablePlacement.Builder b = TablePlacement.newBuilder().setSpec(spec(name, shards, replication));
        for (int s = 0; s < shards; s++) {
            ShardPlacement.Builder sp = ShardPlacement.newBuilder().setShard(s);
            for (int r = 0; r < replication; r++) {
                sp.addReplicas(Replica.newBuilder().setNodeId(nodes.get((s + r) % nodes.size())).setState(ReplicaState.LIVE));
            }
            b.addShards(sp);
        }
        return b.build();
    }

    /** {@code t} with every replica on {@code node} in {@code state}. */
    public static TablePlacement withNodeState(TablePlacement t, String node, ReplicaState state) {
        TablePlacement.Builder b = t.toBuilder();
        for (ShardPlacement.Builder s : b.getShardsBuilderList()) {
            for (Replica.Builder r : s.getReplicasBuilderList()) {
                if (r.getNodeId().equals(node)) {
                    r.setState(state);
                }
            }
        }
        return b.build();
    }
}
