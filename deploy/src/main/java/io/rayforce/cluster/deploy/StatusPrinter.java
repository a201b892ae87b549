package io.rayforce.cluster.deploy;

import io.rayforce.cluster.coordinator.proto.ClusterState;
import io.rayforce.cluster.coordinator.proto.ColumnSpec;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.coordinator.proto.Replica;
import io.rayforce.cluster.coordinator.proto.ReplicaState;
import io.rayforce.cluster.coordinator.proto.ShardMove;
import io.rayforce.cluster.coordinator.proto.ShardPlacement;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Renders cluster metadata for people: the epoch and leader, every node with its state and
 * replica counts, every table with every shard's replicas and their states. Replicas that are
 * not LIVE are marked with {@code !} so they stand out.
 */
final class StatusPrinter {
    private StatusPrinter() {
    }

    static String cluster(ClusterState s) {
        StringBuilder b = new StringBuilder();
        b.append("epoch ").append(s.getEpoch()).append(", leader ").append(s.getLeader().isEmpty() ? "(none)" : s.getLeader());
        if (s.getCoordinatorsCount() > 0) {
            b.append(", coordinators ").append(String.join(" ", s.getCoordinatorsList()));
        }
        b.append('\n');

        Map<String, Map<ReplicaState, Integer>> perNode = new TreeMap<>();
        for (TablePlacement t : s.getTablesList()) {
            for (ShardPlacement sp : t.getShardsList()) {
                for (Replica r : sp.getReplicasList()) {
                    perNode.computeIfAbsent(r.getNodeId(), k -> new EnumMap<>(ReplicaState.class)).merge(r.getState(), 1, Integer::sum);
                }
            }
        }
        TreeSet<String> ids = new TreeSet<>(perNode.keySet());
        s.getNodesList().forEach(n -> ids.add(n.getId()));
        b.append("\nnodes (").append(s.getNodesCount()).append(" live)\n");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "STATE", "ADDRESS", "IPC", "CONTROL", "ENGINE", "REPLICAS"});
        for (String id : ids) {
            NodeInfo n = s.getNodesList().stream().filter(x -> x.getId().equals(id)).findFirst().orElse(null);
            String state = n == null ? "gone" : n.getDraining() ? "draining" : "live";
            rows.add(new String[] {id, state, n == null ? "-" : n.getHost(), n == null ? "-" : Integer.toString(n.getIpcPort()),
                    n == null ? "-" : Integer.toString(n.getControlPort()), n == null ? "-" : n.getEngineUp() ? "up" : "down",
                    counts(perNode.getOrDefault(id, Map.of()))});
        }
        table(b, rows);

        b.append("\ntables (").append(s.getTablesCount()).append(")\n");
        for (TablePlacement t : s.getTablesList()) {
            b.append(table(t));
        }
        return b.toString();
    }

    static String table(TablePlacement t) {
        StringBuilder b = new StringBuilder();
        TableSpec spec = t.getSpec();
        Map<ReplicaState, Integer> states = new EnumMap<>(ReplicaState.class);
        t.getShardsList().forEach(sp -> sp.getReplicasList().forEach(r -> states.merge(r.getState(), 1, Integer::sum)));
        b.append("  ").append(spec.getName()).append(": ");
        if (spec.getReplicatedToAll()) {
            b.append("replicated to every node");
        } else {
            b.append(spec.getShardCount()).append(spec.getShardCount() == 1 ? " shard" : " shards").append(" x ")
                    .append(spec.getReplicationFactor()).append(", shard key ").append(spec.getShardKey());
        }
        b.append(", created at epoch ").append(spec.getCreatedEpoch()).append("; replicas ").append(counts(states)).append('\n');
        b.append("    columns: ").append(spec.getColumnsList().stream().map(c -> c.getName() + ":" + c.getType())
                .collect(Collectors.joining(" "))).append('\n');
        for (ShardPlacement sp : t.getShardsList()) {
            b.append(String.format("    %5d ", sp.getShard()));
            for (Replica r : sp.getReplicasList()) {
                b.append(' ').append(r.getNodeId()).append(' ').append(r.getState());
                if (r.getState() != ReplicaState.LIVE) {
                    b.append('!');
                }
            }
            long live = sp.getReplicasList().stream().filter(r -> r.getState() == ReplicaState.LIVE).count();
            if (live == 0) {
                b.append("   <- no LIVE replica");
            }
            b.append('\n');
        }
        return b.toString();
    }

    static String moves(List<ShardMove> moves) {
        StringBuilder b = new StringBuilder();
        for (ShardMove m : moves) {
            b.append("  ").append(m.getTable()).append('/').append(m.getShard()).append(": ").append(m.getFromNode())
                    .append(" -> ").append(m.getToNode().isEmpty() ? "(dropped)" : m.getToNode()).append('\n');
        }
        return b.toString();
    }

    static String columns(List<ColumnSpec> columns) {
        return columns.stream().map(c -> c.getName() + ":" + c.getType()).collect(Collectors.joining(","));
    }

    private static String counts(Map<ReplicaState, Integer> m) {
        if (m.isEmpty()) {
            return "0";
        }
        int total = m.values().stream().mapToInt(Integer::intValue).sum();
        return total + " (" + m.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", ")) + ")";
    }

    private static void table(StringBuilder b, List<String[]> rows) {
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            b.append(' ');
            for (int i = 0; i < r.length; i++) {
                b.append(' ').append(i == r.length - 1 ? r[i] : String.format("%-" + width[i] + "s", r[i]));
            }
            b.append('\n');
        }
    }
}
