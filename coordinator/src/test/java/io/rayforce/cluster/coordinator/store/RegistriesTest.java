package io.rayforce.cluster.coordinator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.rayforce.cluster.coordinator.meta.ZkPaths;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.coordinator.testing.TestZooKeeper;
import java.time.Duration;
import java.util.Set;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;

class RegistriesTest {

    @Test
    void aNodeRegistrationIsEphemeralAndComesBackAfterItsSessionExpires() throws Exception {
        String cluster = TestZooKeeper.freshCluster();
        NodeInfo info = NodeInfo.newBuilder().setId("n1").setHost("127.0.0.1").setIpcPort(7000).build();
        try (ClusterConnection nodeConn = TestZooKeeper.connect(cluster);
             ClusterConnection observer = TestZooKeeper.connect(cluster);
             NodeRegistry reg = NodeRegistry.register(nodeConn.curator(), info)) {
            Stat first = observer.curator().checkExists().forPath(ZkPaths.node("n1"));
            assertThat(first.getEphemeralOwner()).isEqualTo(nodeConn.curator().getZookeeperClient().getZooKeeper().getSessionId());

            TestZooKeeper.expireSession(nodeConn.curator(), TestZooKeeper.connectString());

            await().atMost(Duration.ofSeconds(15)).until(() -> {
                Stat s = observer.curator().checkExists().forPath(ZkPaths.node("n1"));
                return s != null && s.getEphemeralOwner() != first.getEphemeralOwner();
            });
            reg.update(info.toBuilder().setEngineUp(true).build());
            await().atMost(Duration.ofSeconds(5)).until(() -> ProtoJson.<NodeInfo>read(
                    observer.curator().getData().forPath(ZkPaths.node("n1")), NodeInfo.newBuilder(), "n1").getEngineUp());
        }
    }

    @Test
    void closingARegistrationLeavesAtOnce() throws Exception {
        String cluster = TestZooKeeper.freshCluster();
        try (ClusterConnection conn = TestZooKeeper.connect(cluster)) {
            NodeRegistry reg = NodeRegistry.register(conn.curator(), NodeInfo.newBuilder().setId("n1").build());
            assertThat(conn.curator().checkExists().forPath(ZkPaths.node("n1"))).isNotNull();
            reg.close();
            assertThat(conn.curator().checkExists().forPath(ZkPaths.node("n1"))).isNull();
            assertThatThrownBy(() -> NodeRegistry.register(conn.curator(), NodeInfo.newBuilder().setId("a/b").build()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a/b");
        }
    }

    @Test
    void theBarrierWaitsForEveryRouterToApplyAnEpochOrVanish() throws Exception {
        String cluster = TestZooKeeper.freshCluster();
        try (ClusterConnection leader = TestZooKeeper.connect(cluster);
             ClusterConnection r1Conn = TestZooKeeper.connect(cluster);
             ClusterConnection r2Conn = TestZooKeeper.connect(cluster);
             RouterBarrier barrier = RouterBarrier.start(leader.curator());
             RouterRegistry r1 = RouterRegistry.register(r1Conn.curator(), "r1", 1)) {
            RouterRegistry r2 = RouterRegistry.register(r2Conn.curator(), "r2", 1);
            await().atMost(Duration.ofSeconds(5)).until(() -> barrier.routers().size() == 2);
            assertThat(barrier.awaitRoutersAt(1, Duration.ofMillis(100))).isTrue();
            assertThat(barrier.awaitRoutersAt(2, Duration.ofMillis(200))).isFalse();
            assertThat(barrier.behind(2)).containsOnlyKeys("r1", "r2");

            r1.publishAppliedEpoch(2);
            r1.publishAppliedEpoch(1); // never goes back
            assertThat(r1.appliedEpoch()).isEqualTo(2);
            await().atMost(Duration.ofSeconds(5)).until(() -> barrier.behind(2).keySet().equals(Set.of("r2")));
            // r2's session ends: it no longer holds anyone back
            TestZooKeeper.expireSession(r2Conn.curator(), TestZooKeeper.connectString());
            r2Conn.close();
            assertThat(barrier.awaitRoutersAt(2, Duration.ofSeconds(10))).isTrue();
            r2.close();
        }
    }
}
