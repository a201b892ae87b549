package io.rayforce.cluster.coordinator.testing;

import io.grpc.Grpc;
import io.grpc.ServerInterceptors;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.rayforce.cluster.coordinator.meta.ClusterNaming;
import io.rayforce.cluster.coordinator.proto.CopyShardRequest;
import io.rayforce.cluster.coordinator.proto.CreateShardRequest;
import io.rayforce.cluster.coordinator.proto.DropShardRequest;
import io.rayforce.cluster.coordinator.proto.DropShardResponse;
import io.rayforce.cluster.coordinator.proto.ListShardsRequest;
import io.rayforce.cluster.coordinator.proto.ListShardsResponse;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.coordinator.proto.NodeServiceGrpc;
import io.rayforce.cluster.coordinator.proto.ShardInfo;
import io.rayforce.cluster.coordinator.security.AccessToken;
import io.rayforce.cluster.coordinator.security.BearerTokenCheck;
import io.rayforce.cluster.coordinator.security.ClusterSecurity;
import io.rayforce.cluster.coordinator.store.ClusterConnection;
import io.rayforce.cluster.coordinator.store.NodeRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A node agent without an engine, for coordinator tests: a real gRPC {@code NodeService} on a
 * loopback port and a real registration in ZooKeeper ({@link NodeRegistry}), keeping shards as
 * row counts in memory. Copies read the source agent's rows (agents of one JVM find each other by
 * node id). Every command is recorded; copies can be made to fail, or run a change while under way.
 */
public final class InMemoryNodeAgent implements AutoCloseable {
    private static final Map<String, InMemoryNodeAgent> BY_ID = new ConcurrentHashMap<>();

    private final String id;
    private final ClusterConnection connection;
    private final Server server;
    private final NodeRegistry registry;
    /** shard global -> rows. */
    public final Map<String, Long> shards = new ConcurrentHashMap<>();
    /** Commands received, e.g. "create trades/3", "copy trades/3 from n1", "drop trades/3". */
    public final List<String> commands = new CopyOnWriteArrayList<>();
    public volatile boolean failCopies;
    /** Run by each copy onto this agent after it read the source and before it stores the rows (a change made during a copy). */
    public volatile Runnable duringCopy = () -> { };

    private InMemoryNodeAgent(String id, String cluster, String connectString, ClusterSecurity security) throws IOException {
        this.id = id;
        this.connection = ClusterConnection.connect(connectString, cluster, Duration.ofSeconds(4), security);
        ServerServiceDefinition service = new Service().bindService();
        if (security.hasSecret()) {
            // as a real node agent: every NodeService call needs the members' token
            service = ServerInterceptors.intercept(service, new BearerTokenCheck("NodeService", m -> true,
                    List.of(AccessToken.of(security.internalToken())), null));
        }
        this.server = Grpc.newServerBuilderForPort(0, security.serverCredentials()).addService(service).build().start();
        BY_ID.put(id, this);
        this.registry = NodeRegistry.register(connection.curator(), info());
    }

    public static InMemoryNodeAgent start(String id, String cluster) {
        return start(id, cluster, TestZooKeeper.connectString());
    }

    /** An agent of a cluster on another ZooKeeper ensemble. */
    public static InMemoryNodeAgent start(String id, String cluster, String connectString) {
        return start(id, cluster, connectString, ClusterSecurity.NONE);
    }

    /** An agent of a secured cluster: authenticated in ZooKeeper, its gRPC server with TLS and the members' token check. */
    public static InMemoryNodeAgent start(String id, String cluster, String connectString, ClusterSecurity security) {
        try {
            return new InMemoryNodeAgent(id, cluster, connectString, security);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public NodeInfo info() {
        return NodeInfo.newBuilder().setId(id).setHost("127.0.0.1").setIpcPort(10_000 + server.getPort() % 1000)
                .setControlPort(server.getPort()).setEngineUp(true).setStartedAtMillis(System.currentTimeMillis()).build();
    }

    public String id() {
        return id;
    }

    public ClusterConnection connection() {
        return connection;
    }

    public NodeRegistry registry() {
        return registry;
    }

    /** Adds rows to a shard, as a write would. */
    public void write(String table, int shard, long rows) {
        shards.merge(ClusterNaming.shardGlobal(table, shard), rows, Long::sum);
    }

    public long rows(String table, int shard) {
        return shards.getOrDefault(ClusterNaming.shardGlobal(table, shard), -1L);
    }

    public boolean holds(String table, int shard) {
        return shards.containsKey(ClusterNaming.shardGlobal(table, shard));
    }

    /** Leaves membership (deletes the znode) but keeps serving gRPC: a node the cluster lost. */
    public void leave() {
        registry.close();
    }

    /** Stops everything at once, like a crashed node. */
    @Override
    public void close() {
        BY_ID.remove(id, this);
        registry.close();
        connection.close();
        server.shutdownNow();
        try {
            server.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Service extends NodeServiceGrpc.NodeServiceImplBase {
        @Override
        public void createShard(CreateShardRequest req, StreamObserver<ShardInfo> out) {
            commands.add("create " + req.getSpec().getName() + "/" + req.getShard());
            String global = ClusterNaming.shardGlobal(req.getSpec().getName(), req.getShard());
            shards.putIfAbsent(global, 0L);
            out.onNext(info(req.getSpec().getName(), req.getShard()));
            out.onCompleted();
        }

        @Override
        public void copyShard(CopyShardRequest req, StreamObserver<ShardInfo> out) {
            commands.add("copy " + req.getSpec().getName() + "/" + req.getShard() + " from " + req.getSourceNodeId());
            InMemoryNodeAgent source = BY_ID.get(req.getSourceNodeId());
            String global = ClusterNaming.shardGlobal(req.getSpec().getName(), req.getShard());
            if (failCopies || source == null || !source.shards.containsKey(global)) {
                out.onError(Status.UNAVAILABLE.withDescription("cannot copy " + global + " from " + req.getSourceNodeId()).asException());
                return;
            }
            long rows = source.shards.get(global);
            duringCopy.run();
            shards.put(global, rows);
            out.onNext(info(req.getSpec().getName(), req.getShard()));
            out.onCompleted();
        }

        @Override
        public void dropShard(DropShardRequest req, StreamObserver<DropShardResponse> out) {
            commands.add("drop " + req.getTable() + "/" + req.getShard());
            boolean dropped = shards.remove(ClusterNaming.shardGlobal(req.getTable(), req.getShard())) != null;
            out.onNext(DropShardResponse.newBuilder().setDropped(dropped).build());
            out.onCompleted();
        }

        @Override
        public void listShards(ListShardsRequest req, StreamObserver<ListShardsResponse> out) {
            ListShardsResponse.Builder b = ListShardsResponse.newBuilder().setNodeId(id).setEngineUp(true);
            shards.keySet().forEach(g -> {
                ClusterNaming.ShardRef ref = ClusterNaming.parseShardGlobal(g);
                b.addShards(info(ref.table(), ref.shard()));
            });
            out.onNext(b.build());
            out.onCompleted();
        }

        private ShardInfo info(String table, int shard) {
            String global = ClusterNaming.shardGlobal(table, shard);
            return ShardInfo.newBuilder().setTable(table).setShard(shard).setGlobalName(global)
                    .setRows(shards.getOrDefault(global, 0L)).build();
        }
    }
}
