package io.rayforce.cluster.node.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.coordinator.meta.ClusterNaming;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.ClusterState;
import io.rayforce.cluster.coordinator.proto.ColumnSpec;
import io.rayforce.cluster.coordinator.proto.ControlServiceGrpc;
import io.rayforce.cluster.coordinator.proto.CreateTableRequest;
import io.rayforce.cluster.coordinator.proto.DescribeClusterRequest;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.coordinator.proto.Replica;
import io.rayforce.cluster.coordinator.proto.ReplicaState;
import io.rayforce.cluster.coordinator.proto.ShardPlacement;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.coordinator.store.ClusterConnection;
import io.rayforce.cluster.coordinator.store.ClusterView;
import io.rayforce.cluster.coordinator.store.EmbeddedZooKeeper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A whole cluster for end-to-end tests, every part real: ZooKeeper in this JVM, coordinators and
 * node agents (with their engines) in child JVMs that can be killed with SIGKILL, gRPC on
 * loopback, and an observer {@link ClusterView} in this JVM. Short session timeouts and repair
 * grace keep failures quick.
 */
public final class ClusterHarness implements AutoCloseable {
    public static final Duration SESSION = Duration.ofSeconds(3);
    public static final Duration GRACE = Duration.ofSeconds(2);

    private final Path dir;
    private final String cluster;
    private final EmbeddedZooKeeper zk;
    private final ClusterConnection observer;
    private final ClusterView view;
    private final List<CoordinatorProcess> coordinators = new ArrayList<>();
    private final Map<String, NodeProcess> nodes = new LinkedHashMap<>();
    private final Map<String, ManagedChannel> channels = new LinkedHashMap<>();
    private final AtomicLong seq = new AtomicLong();

    private ClusterHarness(Path dir, String cluster) {
        this.dir = dir;
        this.cluster = cluster;
        this.zk = EmbeddedZooKeeper.start();
        this.observer = ClusterConnection.connect(zk.connectString(), cluster, Duration.ofSeconds(10));
        this.view = ClusterView.start(observer.curator());
    }

    /** ZooKeeper, {@code coordinators} coordinators and the given nodes, all started and registered. */
    public static ClusterHarness start(Path dir, String cluster, int coordinators, String... nodeIds) {
        ClusterHarness h = new ClusterHarness(dir, cluster);
        try {
            for (int i = 0; i < coordinators; i++) {
                h.addCoordinator();
            }
            h.addNodes(nodeIds);
            h.awaitMembers(Set.of(nodeIds));
        } catch (RuntimeException | Error e) {
            h.close();
            throw e;
        }
        return h;
    }

    public CoordinatorProcess addCoordinator() {
        CoordinatorProcess c = CoordinatorProcess.start(zk.connectString(), cluster, GRACE, SESSION);
        coordinators.add(c);
        return c;
    }

    /** Starts several nodes at once and waits until each is registered. */
    public void addNodes(String... ids) {
        List<java.util.concurrent.CompletableFuture<NodeProcess>> starting = new ArrayList<>();
        for (String id : ids) {
            starting.add(java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> NodeProcess.start(zk.connectString(), cluster, id, dir.resolve(id), SESSION)));
        }
        RuntimeException failed = null;
        for (int i = 0; i < ids.length; i++) {
            try {
                NodeProcess n = starting.get(i).join();
                synchronized (nodes) {
                    nodes.put(ids[i], n);
                }
            } catch (RuntimeException e) {
                failed = failed == null ? e : failed;
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    public NodeProcess addNode(String id, String... extra) {
        NodeProcess n = NodeProcess.start(zk.connectString(), cluster, id, dir.resolve(id), SESSION, extra);
        nodes.put(id, n);
        return n;
    }

    public NodeProcess node(String id) {
        return nodes.get(id);
    }

    public List<CoordinatorProcess> coordinators() {
        return coordinators;
    }

    public EmbeddedZooKeeper zooKeeper() {
        return zk;
    }

    public String cluster() {
        return cluster;
    }

    public ClusterView view() {
        return view;
    }

    public ClusterSnapshot snapshot() {
        return view.snapshot();
    }

    /** A ControlService stub on a live coordinator (mutations are forwarded to the leader). */
    public ControlServiceGrpc.ControlServiceBlockingStub control() {
        for (CoordinatorProcess c : coordinators) {
            if (c.isAlive()) {
                return control(c);
            }
        }
        throw new IllegalStateException("no live coordinator");
    }

    public ControlServiceGrpc.ControlServiceBlockingStub control(CoordinatorProcess c) {
        ManagedChannel ch = channels.computeIfAbsent(c.address(),
                a -> NettyChannelBuilder.forAddress("127.0.0.1", c.port()).usePlaintext().build());
        return ControlServiceGrpc.newBlockingStub(ch).withDeadlineAfter(120, TimeUnit.SECONDS);
    }

    /** The leader as a live coordinator reports it. */
    public String leader() {
        ClusterState s = control().describeCluster(DescribeClusterRequest.getDefaultInstance());
        return s.getLeader();
    }

    public void awaitMembers(Set<String> ids) {
        await().atMost(Duration.ofSeconds(30)).until(() -> view.snapshot().nodes().keySet().equals(ids));
    }

    /** trades(id i64, sym symbol, px f64) with the given shards and replication. */
    public static TableSpec trades(String name, int shards, int replication) {
        return TableSpec.newBuilder().setName(name).setShardKey("id").setShardCount(shards).setReplicationFactor(replication)
                .addColumns(ColumnSpec.newBuilder().setName("id").setType("i64"))
                .addColumns(ColumnSpec.newBuilder().setName("sym").setType("symbol"))
                .addColumns(ColumnSpec.newBuilder().setName("px").setType("f64"))
                .build();
    }

    public TablePlacement createTable(TableSpec spec) {
        return control().createTable(CreateTableRequest.newBuilder().setSpec(spec).build());
    }

    /**
     * Writes {@code rows} rows into every shard of a trades table, on every LIVE replica (as a
     * router does, each row with its own {@code __seq}); returns what each shard holds now.
     */
    public Map<Integer, RayTable> load(String table, int rows, Map<Integer, RayTable> before) {
        ClusterSnapshot snap = view.snapshot();
        TablePlacement t = snap.table(table).orElseThrow();
        Map<Integer, RayTable> expected = new TreeMap<>(before);
        for (ShardPlacement s : t.getShardsList()) {
            RayTable page = rows(s.getShard(), rows);
            String global = ClusterNaming.shardGlobal(table, s.getShard());
            List<NodeInfo> live = snap.liveReplicas(table, s.getShard());
            assertThat(live).as("LIVE replicas of %s", global).isNotEmpty();
            for (NodeInfo n : live) {
                try (TCPClient c = new TCPClient(n.getHost(), n.getIpcPort())) {
                    c.execute(RayList.of(Name.of("insert"), Symbol.of(global), page));
                }
            }
            RayTable old = expected.get(s.getShard());
            expected.put(s.getShard(), old == null ? page : concat(old, page));
        }
        return expected;
    }

    private RayTable rows(int shard, int n) {
        long[] ids = new long[n];
        String[] syms = new String[n];
        double[] px = new double[n];
        long[] seqs = new long[n];
        String[] names = {"AAPL", "MSFT", "GOOG", "IBM", "ORCL"};
        for (int i = 0; i < n; i++) {
            long s = seq.incrementAndGet();
            ids[i] = shard * 1_000_000L + s;
            syms[i] = names[(int) (s % names.length)];
            px[i] = s * 0.25;
            seqs[i] = s;
        }
        return RayTable.builder().column("id", I64Vector.of(ids)).column("sym", SymbolVector.of(syms))
                .column("px", F64Vector.of(px)).column(ClusterNaming.SEQ_COLUMN, I64Vector.of(seqs)).build();
    }

    private static RayTable concat(RayTable a, RayTable b) {
        List<io.rayforce.cluster.client.value.Vector> cols = new ArrayList<>();
        for (int i = 0; i < a.columnCount(); i++) {
            cols.add(io.rayforce.cluster.client.value.Vector.concat(List.of(a.column(i), b.column(i))));
        }
        return new RayTable(a.names(), cols);
    }

    /**
     * Waits until every shard of {@code table} has exactly {@code replication} replicas, all LIVE,
     * on distinct members, and returns that snapshot.
     */
    public ClusterSnapshot awaitHealthy(String table, int replication, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> healthy(view.snapshot(), table, replication));
        return view.snapshot();
    }

    public static boolean healthy(ClusterSnapshot snap, String table, int replication) {
        TablePlacement t = snap.table(table).orElse(null);
        if (t == null || t.getShardsCount() != t.getSpec().getShardCount()) {
            return false;
        }
        for (ShardPlacement s : t.getShardsList()) {
            Set<String> on = new HashSet<>();
            for (Replica r : s.getReplicasList()) {
                if (r.getState() != ReplicaState.LIVE || snap.node(r.getNodeId()).isEmpty() || !on.add(r.getNodeId())) {
                    return false;
                }
            }
            if (on.size() != replication) {
                return false;
            }
        }
        return true;
    }

    /** LIVE replicas on members, per shard. */
    public static Map<Integer, Integer> liveCounts(ClusterSnapshot snap, String table) {
        Map<Integer, Integer> out = new TreeMap<>();
        snap.table(table).ifPresent(t -> t.getShardsList().forEach(s -> out.put(s.getShard(), snap.liveReplicas(table, s.getShard()).size())));
        return out;
    }

    /** Every LIVE replica of every shard holds exactly the expected rows, in order. */
    public void assertDataIntact(String table, Map<Integer, RayTable> expected) {
        ClusterSnapshot snap = view.snapshot();
        for (Map.Entry<Integer, RayTable> e : expected.entrySet()) {
            String global = ClusterNaming.shardGlobal(table, e.getKey());
            for (NodeInfo n : snap.liveReplicas(table, e.getKey())) {
                try (TCPClient c = new TCPClient(n.getHost(), n.getIpcPort())) {
                    assertThat(c.execute(global)).as("%s on %s", global, n.getId()).isEqualTo(e.getValue());
                }
            }
        }
    }

    /** The node ids holding a replica (any state) of the table. */
    public static Set<String> holders(ClusterSnapshot snap, String table) {
        Set<String> out = new HashSet<>();
        snap.table(table).ifPresent(t -> t.getShardsList().forEach(s -> s.getReplicasList().forEach(r -> out.add(r.getNodeId()))));
        return out;
    }

    @Override
    public void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
        nodes.values().forEach(NodeProcess::close);
        coordinators.forEach(CoordinatorProcess::close);
        view.close();
        observer.close();
        zk.close();
    }
}
