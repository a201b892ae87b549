package io.rayforce.cluster.router.testing;

import io.rayforce.cluster.client.ClientOptions;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.engine.NativeServer;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.coordinator.meta.ClusterNaming;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.meta.ShardFunction;
import io.rayforce.cluster.coordinator.proto.ClusterState;
import io.rayforce.cluster.coordinator.proto.ColumnSpec;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.coordinator.proto.Replica;
import io.rayforce.cluster.coordinator.proto.ReplicaState;
import io.rayforce.cluster.coordinator.proto.ShardPlacement;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.router.exec.PlacementSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Real native engines holding sharded tables laid out as the cluster lays them out (globals
 * {@code t__s} with a trailing {@code __seq} column), with a fixed placement snapshot and no
 * ZooKeeper, plus an oracle engine holding every table whole, loaded in the same order. The
 * differential tests ask both the same questions.
 */
public final class LocalShards implements PlacementSource, AutoCloseable {
    private final List<NativeServer> nodes = new ArrayList<>();
    private final List<TCPClient> clients = new ArrayList<>();
    private final NativeServer oracleServer;
    private final TCPClient oracle;
    private final Map<String, TablePlacement> tables = new LinkedHashMap<>();
    private final Map<String, Long> nextSeq = new LinkedHashMap<>();
    private volatile ClusterSnapshot snapshot = ClusterSnapshot.empty();
    private long epoch = 1;

    public LocalShards(int nodeCount) {
        ClientOptions big = ClientOptions.DEFAULT.withMaxFrameBytes(Integer.MAX_VALUE - 8);
        for (int i = 0; i < nodeCount; i++) {
            NativeServer s = NativeServer.startOnFreePort();
            nodes.add(s);
            clients.add(new TCPClient(s.host(), s.port(), big));
        }
        oracleServer = NativeServer.startOnFreePort();
        oracle = new TCPClient(oracleServer.host(), oracleServer.port(), big);
    }

    /** Creates a table sharded on {@code shardKey} (null: replicated to every node); columns as "name:type". */
    public void createTable(String name, String shardKey, int shards, int replication, String... columns) {
        TableSpec.Builder spec = TableSpec.newBuilder().setName(name).setShardCount(shards)
                .setReplicationFactor(replication).setReplicatedToAll(shardKey == null);
        if (shardKey != null) {
            spec.setShardKey(shardKey);
        }
        List<String> names = new ArrayList<>();
        List<String> empties = new ArrayList<>();
        for (String c : columns) {
            String[] nt = c.split(":");
            spec.addColumns(ColumnSpec.newBuilder().setName(nt[0]).setType(nt[1]));
            names.add(nt[0]);
            empties.add("(as '" + castName(nt[1]) + " [])");
        }
        TablePlacement.Builder tp = TablePlacement.newBuilder().setSpec(spec);
        int copies = shardKey == null ? nodes.size() : replication;
        for (int s = 0; s < shards; s++) {
            ShardPlacement.Builder sp = ShardPlacement.newBuilder().setShard(s);
            for (int r = 0; r < copies; r++) {
                int node = (s + r) % nodes.size();
                sp.addReplicas(Replica.newBuilder().setNodeId("n" + node).setState(ReplicaState.LIVE));
                clients.get(node).execute("(count (set " + ClusterNaming.shardGlobal(name, s) + " (table ["
                        + String.join(" ", names) + " __seq] (list " + String.join(" ", empties) + " (as 'I64 [])))))");
            }
            tp.addShards(sp);
        }
        oracle.execute("(count (set " + name + " (table [" + String.join(" ", names) + "] (list "
                + String.join(" ", empties) + "))))");
        tables.put(name, tp.build());
        nextSeq.put(name, 0L);
        publish();
    }

    /** Appends rows (columns in the table's order) to the table, on the shards and in the oracle. */
    public void insert(String name, RayTable rows) {
        TablePlacement tp = tables.get(name);
        TableSpec spec = tp.getSpec();
        long base = nextSeq.get(name);
        nextSeq.put(name, base + rows.rowCount());
        long[] seq = new long[rows.rowCount()];
        for (int i = 0; i < seq.length; i++) {
            seq[i] = base + i;
        }
        List<String> names = new ArrayList<>(rows.columnNames());
        names.add(ClusterNaming.SEQ_COLUMN);
        List<Vector> cols = new ArrayList<>(rows.columns());
        cols.add(new I64Vector(seq));
        RayTable withSeq = RayTable.of(names, cols);
        int[] shardOf = spec.getReplicatedToAll() ? new int[rows.rowCount()]
                : ShardFunction.shardsOf(rows.column(spec.getShardKey()), spec.getShardCount());
        for (ShardPlacement sp : tp.getShardsList()) {
            int s = sp.getShard();
            int[] idx = java.util.stream.IntStream.range(0, shardOf.length).filter(i -> shardOf[i] == s).toArray();
            if (idx.length == 0) {
                continue;
            }
            RayTable part = withSeq.gather(idx);
            for (Replica r : sp.getReplicasList()) {
                clients.get(Integer.parseInt(r.getNodeId().substring(1))).execute(RayList.of(Name.of("count"),
                        RayList.of(Name.of("insert"), Symbol.of(ClusterNaming.shardGlobal(name, s)), part)));
            }
        }
        oracle.execute(RayList.of(Name.of("count"), RayList.of(Name.of("insert"), Symbol.of(name), rows)));
    }

    public TCPClient oracle() {
        return oracle;
    }

    public List<NativeServer> nodes() {
        return nodes;
    }

    public TCPClient node(int i) {
        return clients.get(i);
    }

    @Override
    public ClusterSnapshot snapshot() {
        return snapshot;
    }

    private void publish() {
        ClusterState.Builder st = ClusterState.newBuilder().setEpoch(epoch++);
        for (int i = 0; i < nodes.size(); i++) {
            st.addNodes(NodeInfo.newBuilder().setId("n" + i).setHost(nodes.get(i).host()).setIpcPort(nodes.get(i).port())
                    .setEngineUp(true));
        }
        st.addAllTables(tables.values());
        snapshot = new ClusterSnapshot(st.build());
    }

    private static String castName(String type) {
        return switch (type) {
            case "symbol" -> "SYM";
            case "string" -> "STR";
            default -> type.toUpperCase();
        };
    }

    @Override
    public void close() {
        clients.forEach(TCPClient::close);
        oracle.close();
        nodes.forEach(NativeServer::close);
        oracleServer.close();
    }
}
