package io.rayforce.cluster.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.coordinator.proto.ColumnSpec;
import io.rayforce.cluster.coordinator.proto.CreateShardRequest;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.coordinator.proto.NodeServiceGrpc;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.coordinator.store.ClusterConnection;
import io.rayforce.cluster.coordinator.store.ClusterView;
import io.rayforce.cluster.coordinator.store.EmbeddedZooKeeper;
import io.rayforce.cluster.coordinator.store.PlacementStore;
import io.rayforce.cluster.node.engine.SupervisorSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One node agent in this JVM against a real ZooKeeper: membership, health, identity, drain flag. */
class NodeAgentTest {
    static final SupervisorSettings FAST = SupervisorSettings.DEFAULTS
            .withHealth(Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(5))
            .withBackoff(Duration.ofMillis(300), Duration.ofSeconds(2), Duration.ofSeconds(60));

    static EmbeddedZooKeeper zk;
    static ClusterConnection observer;
    static ClusterView view;

    @TempDir
    Path dir;

    final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeAll
    static void startZooKeeper() {
        zk = EmbeddedZooKeeper.start();
        observer = ClusterConnection.connect(zk.connectString(), "agent", Duration.ofSeconds(10));
        PlacementStore.ensureLayout(observer.curator());
        view = ClusterView.start(observer.curator());
    }

    @AfterAll
    static void stopZooKeeper() {
        view.close();
        observer.close();
        zk.close();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private NodeConfig.Builder config(Path data) {
        return NodeConfig.builder(zk.connectString(), "agent", data).supervisor(FAST).sessionTimeout(Duration.ofSeconds(4))
                .capacityBytes(4L << 30);
    }

    private NodeAgent start(NodeConfig c) {
        NodeAgent a = NodeAgent.start(c);
        closeables.add(a);
        return a;
    }

    private static NodeInfo member(String id) {
        return view.snapshot().node(id).orElse(null);
    }

    private ManagedChannel channel(NodeAgent a) {
        ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", a.controlPort()).usePlaintext().build();
        closeables.add(() -> ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
        return ch;
    }

    @Test
    void aStartedNodeRegistersWhatItIsAndLeavesMembershipWhenClosed() {
        NodeAgent a = start(config(dir.resolve("a")).nodeId("alpha").build());
        await().atMost(Duration.ofSeconds(10)).until(() -> member("alpha") != null);
        NodeInfo info = member("alpha");
        assertThat(info.getHost()).isEqualTo("127.0.0.1");
        assertThat(info.getIpcPort()).isEqualTo(a.ipcPort());
        assertThat(info.getControlPort()).isEqualTo(a.controlPort());
        assertThat(info.getEngineVersion()).isNotEmpty();
        assertThat(info.getCapacityBytes()).isEqualTo(4L << 30);
        assertThat(info.getEngineUp()).isTrue();
        assertThat(info.getStartedAtMillis()).isPositive();
        try (TCPClient c = new TCPClient(info.getHost(), info.getIpcPort())) {
            assertThat(c.execute("(+ 20 22)")).isEqualTo(new I64Atom(42));
        }
        long enginePid = a.engine().status().pid();

        a.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> member("alpha") == null);
        assertThat(ProcessHandle.of(enginePid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void engineUpFollowsTheEngineAndTheHealthServiceToo() {
        NodeAgent a = start(config(dir.resolve("b")).nodeId("beta").build());
        HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel(a));
        assertThat(health.check(HealthCheckRequest.newBuilder().setService(NodeServiceGrpc.SERVICE_NAME).build()).getStatus())
                .isEqualTo(ServingStatus.SERVING);
        await().atMost(Duration.ofSeconds(10)).until(() -> member("beta") != null);

        ProcessHandle.of(a.engine().status().pid()).ifPresent(ProcessHandle::destroyForcibly);
        await().atMost(Duration.ofSeconds(5)).until(() -> member("beta") != null && !member("beta").getEngineUp());
        await().atMost(Duration.ofSeconds(10)).until(() -> member("beta") != null && member("beta").getEngineUp());
        assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus()).isEqualTo(ServingStatus.SERVING);
        assertThat(a.engine().status().restarts()).isEqualTo(1);
    }

    @Test
    void theNodeIdPersistsInTheDataDirectoryAndDataSurvivesAnAgentRestart() {
        Path data = dir.resolve("c");
        NodeAgent first = start(config(data).build());
        String id = first.nodeId();
        assertThat(id).matches("node-[0-9a-f]{8}");
        assertThat(data.resolve("node.id")).hasContent(id);
        int ipcPort = first.ipcPort();
        try (TCPClient c = new TCPClient("127.0.0.1", ipcPort)) {
            c.execute("(set kept__0 7)");
        }
        first.close();

        NodeAgent second = start(config(data).ipcPort(ipcPort).build());
        assertThat(second.nodeId()).isEqualTo(id);
        try (TCPClient c = new TCPClient("127.0.0.1", ipcPort)) {
            assertThat(c.execute("kept__0")).isEqualTo(new I64Atom(7));
        }
        second.close();
        assertThatThrownBy(() -> start(config(data).nodeId("someone-else").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("belongs to node '" + id + "'");
    }

    @Test
    void aSessionExpiryIsSurvivedTheNodeRegistersAgain() throws Exception {
        NodeAgent a = start(config(dir.resolve("d")).nodeId("delta").build());
        await().atMost(Duration.ofSeconds(10)).until(() -> member("delta") != null);
        long started = member("delta").getStartedAtMillis();
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.function.Consumer<io.rayforce.cluster.coordinator.meta.ClusterSnapshot> watcher =
                s -> seen.add(s.node("delta").isPresent() ? "present" : "absent");
        view.addListener(watcher);
        try {
            a.zooKeeper().curator().getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();
            await().atMost(Duration.ofSeconds(20)).until(() -> seen.contains("absent") && member("delta") != null);
        } finally {
            view.removeListener(watcher);
        }
        assertThat(member("delta").getStartedAtMillis()).isEqualTo(started);
        assertThat(member("delta").getEngineUp()).isTrue();
        assertThat(a.engine().status().restarts()).isZero();
    }

    @Test
    void aDrainingNodeRefusesNewShardsAndIsDrainedWhenItHoldsNoReplica() throws Exception {
        NodeAgent a = start(config(dir.resolve("e")).nodeId("echo").build());
        assertThat(a.draining()).isFalse();
        new PlacementStore(observer.curator(), view).setDraining("echo", true);
        await().atMost(Duration.ofSeconds(10)).until(a::draining);
        assertThat(a.awaitDrained(Duration.ofSeconds(10))).isTrue();
        TableSpec spec = TableSpec.newBuilder().setName("t").setShardCount(1).setReplicationFactor(1)
                .addColumns(ColumnSpec.newBuilder().setName("x").setType("i64")).build();
        NodeServiceGrpc.NodeServiceBlockingStub stub = NodeServiceGrpc.newBlockingStub(channel(a));
        assertThatThrownBy(() -> stub.createShard(CreateShardRequest.newBuilder().setSpec(spec).setShard(0).build()))
                .hasMessageContaining("FAILED_PRECONDITION").hasMessageContaining("echo is draining");

        new PlacementStore(observer.curator(), view).setDraining("echo", false);
        await().atMost(Duration.ofSeconds(10)).until(() -> !a.draining());
        assertThat(stub.createShard(CreateShardRequest.newBuilder().setSpec(spec).setShard(0).build()).getGlobalName())
                .isEqualTo("t__0");
    }
}
