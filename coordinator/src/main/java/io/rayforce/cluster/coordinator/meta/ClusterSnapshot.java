package io.rayforce.cluster.coordinator.meta;

import io.rayforce.cluster.coordinator.proto.ClusterState;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.coordinator.proto.Replica;
import io.rayforce.cluster.coordinator.proto.ReplicaState;
import io.rayforce.cluster.coordinator.proto.ShardPlacement;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster as of one placement epoch: members, tables and where every replica is. Immutable;
 * routers plan each query on the snapshot taken at its start.
 */
public final class ClusterSnapshot {
    private final ClusterState state;
    private final Map<String, NodeInfo> nodes;
    private final Map<String, TablePlacement> tables;

    public ClusterSnapshot(ClusterState state) {
        this.state = state;
        Map<String, NodeInfo> n = new LinkedHashMap<>();
        state.getNodesList().forEach(x -> n.put(x.getId(), x));
        Map<String, TablePlacement> t = new LinkedHashMap<>();
        state.getTablesList().forEach(x -> t.put(x.getSpec().getName(), x));
        this.nodes = Collections.unmodifiableMap(n);
        this.tables = Collections.unmodifiableMap(t);
    }

    public static ClusterSnapshot empty() {
        return new ClusterSnapshot(ClusterState.getDefaultInstance());
    }

    public long epoch() {
        return state.getEpoch();
    }

    public ClusterState state() {
        return state;
    }

    /** Live members by id. */
    public Map<String, NodeInfo> nodes() {
        return nodes;
    }

    public Optional<NodeInfo> node(String id) {
        return Optional.ofNullable(nodes.get(id));
    }

    /** Tables by name. */
    public Map<String, TablePlacement> tables() {
        return tables;
    }

    public Optional<TablePlacement> table(String name) {
        return Optional.ofNullable(tables.get(name));
    }

    /** The placement of one shard; fails naming the table and shard when there is none. */
    public ShardPlacement shard(String table, int shard) {
        TablePlacement t = tables.get(table);
        if (t == null) {
            throw new IllegalArgumentException("no table " + table + " at epoch " + epoch());
        }
        for (ShardPlacement s : t.getShardsList()) {
            if (s.getShard() == shard) {
                return s;
            }
        }
        throw new IllegalArgumentException("table " + table + " has no shard " + shard + " at epoch " + epoch());
    }

    /** The members holding a readable (LIVE) replica of the shard, in placement order. */
    public List<NodeInfo> liveReplicas(String table, int shard) {
        List<NodeInfo> out = new ArrayList<>();
        for (Replica r : shard(table, shard).getReplicasList()) {
            NodeInfo n = nodes.get(r.getNodeId());
            if (r.getState() == ReplicaState.LIVE && n != null) {
                out.add(n);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "ClusterSnapshot(epoch " + epoch() + ", " + nodes.size() + " nodes, " + tables.size() + " tables)";
    }
}
