package io.rayforce.cluster.router.bench;

import io.rayforce.cluster.client.ClientOptions;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.engine.NativeServer;
import io.rayforce.cluster.client.engine.ServerOptions;
import io.rayforce.cluster.coordinator.meta.ClusterNaming;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
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
 * Native engines (with a chosen core count) laid out as cluster nodes, with a fixed placement and
 * no ZooKeeper, for benchmarks: tables are declared here and their shard globals ({@code t__s},
 * with the hidden {@code __seq} column) are filled on the engines by Rayfall the caller sends.
 * Shard {@code s} lives on node {@code s mod nodes} (one replica); a replicated table on every node.
 */
final class BenchCluster implements PlacementSource, AutoCloseable {
    private final List<NativeServer> nodes = new ArrayList<>();
    private final List<TCPClient> clients = new ArrayList<>();
    private final Map<String, TablePlacement> tables = new LinkedHashMap<>();
    private volatile ClusterSnapshot snapshot = ClusterSnapshot.empty();
    private long epoch = 1;

    /** {@code count} engines started with {@code -c cores} (0: the engine's default). */
    BenchCluster(int count, int cores) {
        ClientOptions big = ClientOptions.DEFAULT.withMaxFrameBytes(Integer.MAX_VALUE - 8);
        for (int i = 0; i < count; i++) {
            NativeServer s = NativeServer.startOnFreePort(ServerOptions.onPort(1).bind("127.0.0.1").cores(cores));
            nodes.add(s);
            clients.add(new TCPClient(s.host(), s.port(), big));
        }
    }

    /** Declares a table sharded on {@code shardKey} over {@code shards} shards; columns as "name:type". */
    void sharded(String name, String shardKey, int shards, String... columns) {
        TablePlacement.Builder tp = TablePlacement.newBuilder().setSpec(spec(name, columns).setShardKey(shardKey)
                .setShardCount(shards).setReplicationFactor(1));
        for (int s = 0; s < shards; s++) {
            tp.addShards(ShardPlacement.newBuilder().setShard(s)
                    .addReplicas(Replica.newBuilder().setNodeId("n" + (s % nodes.size())).setState(ReplicaState.LIVE)));
        }
        tables.put(name, tp.build());
        publish();
    }

    /** Declares a table held whole by every node (shard 0 on each). */
    void replicated(String name, String... columns) {
        ShardPlacement.Builder sp = ShardPlacement.newBuilder().setShard(0);
        for (int i = 0; i < nodes.size(); i++) {
            sp.addReplicas(Replica.newBuilder().setNodeId("n" + i).setState(ReplicaState.LIVE));
        }
        tables.put(name, TablePlacement.newBuilder().setSpec(spec(name, columns).setReplicatedToAll(true).setShardCount(1)
                .setReplicationFactor(nodes.size())).addShards(sp).build());
        publish();
    }

    private static TableSpec.Builder spec(String name, String... columns) {
        TableSpec.Builder spec = TableSpec.newBuilder().setName(name);
        for (String c : columns) {
            String[] nt = c.split(":");
            spec.addColumns(ColumnSpec.newBuilder().setName(nt[0]).setType(nt[1]));
        }
        return spec;
    }

    /** The engine global holding shard {@code s} of {@code table}. */
    static String global(String table, int s) {
        return ClusterNaming.shardGlobal(table, s);
    }

    TCPClient node(int i) {
        return clients.get(i);
    }

    /** The IPC port of node {@code i}'s engine. */
    int port(int i) {
        return nodes.get(i).port();
    }

    int size() {
        return nodes.size();
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

    @Override
    public void close() {
        clients.forEach(TCPClient::close);
        nodes.forEach(NativeServer::close);
    }
}
