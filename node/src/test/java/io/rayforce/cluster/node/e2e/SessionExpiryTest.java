package io.rayforce.cluster.node.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.coordinator.meta.ClusterNaming;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.ListShardsRequest;
import io.rayforce.cluster.coordinator.proto.NodeServiceGrpc;
import io.rayforce.cluster.coordinator.proto.ShardInfo;
import io.rayforce.cluster.node.NodeAgent;
import io.rayforce.cluster.node.NodeConfig;
import io.rayforce.cluster.node.engine.SupervisorSettings;
import io.rayforce.cluster.node.testing.ClusterHarness;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node whose ZooKeeper session expires registers again; its replicas end up LIVE with the right rows. */
class SessionExpiryTest {
    @TempDir
    Path dir;

    @Test
    void aNodeSurvivesASessionExpiryAndNothingIsCorrupted() throws Exception {
        try (ClusterHarness cluster = ClusterHarness.start(dir, "expiry", 1, "a", "b");
             NodeAgent s = NodeAgent.start(NodeConfig.builder(cluster.zooKeeper().connectString(), cluster.cluster(), dir.resolve("s"))
                     .nodeId("s").sessionTimeout(ClusterHarness.SESSION).capacityBytes(1L << 30).controlBind("127.0.0.1")
                     .supervisor(SupervisorSettings.DEFAULTS.withHealth(Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(10)))
                     .build())) {
            cluster.awaitMembers(Set.of("a", "b", "s"));
            cluster.createTable(ClusterHarness.trades("trades", 6, 3));
            cluster.awaitHealthy("trades", 3, Duration.ofSeconds(20));
            Map<Integer, RayTable> expected = cluster.load("trades", 400, Map.of());
            long pid = s.engine().status().pid();

            CopyOnWriteArrayList<Boolean> membership = new CopyOnWriteArrayList<>();
            java.util.function.Consumer<ClusterSnapshot> watch = snap -> membership.add(snap.node("s").isPresent());
            cluster.view().addListener(watch);
            s.zooKeeper().curator().getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();
            await().atMost(Duration.ofSeconds(20)).until(() -> membership.contains(false) && cluster.snapshot().node("s").isPresent());
            cluster.view().removeListener(watch);

            ClusterSnapshot healed = cluster.awaitHealthy("trades", 3, Duration.ofSeconds(60));
            assertThat(ClusterHarness.holders(healed, "trades")).isEqualTo(Set.of("a", "b", "s"));
            assertThat(healed.node("s").orElseThrow().getEngineUp()).isTrue();
            assertThat(s.engine().status().pid()).as("the engine kept running").isEqualTo(pid);
            cluster.assertDataIntact("trades", expected);

            ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", s.controlPort()).usePlaintext().build();
            try {
                Set<String> expectedGlobals = new TreeSet<>();
                for (int shard = 0; shard < 6; shard++) {
                    expectedGlobals.add(ClusterNaming.shardGlobal("trades", shard));
                }
                Set<String> onNode = NodeServiceGrpc.newBlockingStub(ch).withDeadlineAfter(20, TimeUnit.SECONDS)
                        .listShards(ListShardsRequest.getDefaultInstance()).getShardsList().stream()
                        .map(ShardInfo::getGlobalName).collect(Collectors.toCollection(TreeSet::new));
                assertThat(onNode).isEqualTo(expectedGlobals);
            } finally {
                ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }
}
