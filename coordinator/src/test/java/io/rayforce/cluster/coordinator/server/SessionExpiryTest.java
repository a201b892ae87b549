package io.rayforce.cluster.coordinator.server;

import static io.rayforce.cluster.coordinator.server.ControlServiceTest.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.CreateTableRequest;
import io.rayforce.cluster.coordinator.proto.DescribeClusterRequest;
import io.rayforce.cluster.coordinator.proto.Replica;
import io.rayforce.cluster.coordinator.proto.ReplicaState;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.testing.InMemoryNodeAgent;
import io.rayforce.cluster.coordinator.testing.TestCluster;
import io.rayforce.cluster.coordinator.testing.TestZooKeeper;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** ZooKeeper session expiry (the server closes the session, as after a partition) of a coordinator and of a node. */
class SessionExpiryTest {

    @Test
    void theLeaderSurvivesItsSessionExpiringAndNothingIsCorrupted() throws Exception {
        try (TestCluster cluster = new TestCluster(Duration.ofSeconds(30))) {
            Coordinator a = cluster.startCoordinator();
            await().atMost(Duration.ofSeconds(10)).until(a::isLeader);
            Coordinator b = cluster.startCoordinator();
            for (String id : List.of("n1", "n2")) {
                cluster.startNode(id);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> a.view().snapshot().nodes().size() == 2);
            TablePlacement t = cluster.client(a).createTable(CreateTableRequest.newBuilder().setSpec(spec("t", 8, 2)).build());

            TestZooKeeper.expireSession(a.connection().curator(), TestZooKeeper.connectString());

            // someone leads again (the other coordinator, or the same one after it rejoins)
            await().atMost(Duration.ofSeconds(15)).until(() -> a.isLeader() != b.isLeader());
            await().atMost(Duration.ofSeconds(15)).until(() -> a.view().isConnected());
            Coordinator leader = cluster.leader();
            for (Coordinator c : List.of(a, b)) {
                ClusterSnapshot snap = c.view().awaitEpoch(t.getEpoch(), Duration.ofSeconds(10));
                assertThat(snap.table("t")).contains(t);
                assertThat(snap.nodes()).containsOnlyKeys("n1", "n2");
            }
            TablePlacement u = cluster.client(a).createTable(CreateTableRequest.newBuilder().setSpec(spec("u", 2, 1)).build());
            assertThat(u.getSpec().getCreatedEpoch()).isEqualTo(t.getEpoch() + 1);
            assertThat(cluster.client(b).describeCluster(DescribeClusterRequest.getDefaultInstance())
                    .getLeader()).isEqualTo(leader.address());
        }
    }

    @Test
    void aNodeWhoseSessionExpiredRegistersAgainAndItsReplicasAreRefilled() throws Exception {
        try (TestCluster cluster = new TestCluster(Duration.ofSeconds(60))) {
            Coordinator a = cluster.startCoordinator();
            for (String id : List.of("n1", "n2")) {
                cluster.startNode(id);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> a.isLeader() && a.view().snapshot().nodes().size() == 2);
            cluster.client(a).createTable(CreateTableRequest.newBuilder().setSpec(spec("t", 4, 2)).build());
            InMemoryNodeAgent n2 = cluster.node("n2");
            for (int s = 0; s < 4; s++) {
                cluster.node("n1").write("t", s, 10);
                n2.write("t", s, 10);
            }
            long epoch = a.view().snapshot().epoch();

            TestZooKeeper.expireSession(n2.connection().curator(), TestZooKeeper.connectString());

            // the replicas went DOWN (an epoch after), then the node came back and they were re-filled
            await().atMost(Duration.ofSeconds(20)).until(() -> a.view().snapshot().epoch() > epoch + 1
                    && a.view().snapshot().node("n2").isPresent()
                    && replicasOf(a.view().snapshot(), "n2").allMatch(r -> r.getState() == ReplicaState.LIVE));
            assertThat(replicasOf(a.view().snapshot(), "n2").count()).isEqualTo(4);
            assertThat(n2.commands).filteredOn(c -> c.startsWith("copy t/")).hasSize(4);
        }
    }

    private static Stream<Replica> replicasOf(ClusterSnapshot snap, String node) {
        return snap.tables().values().stream().flatMap(t -> t.getShardsList().stream())
                .flatMap(s -> s.getReplicasList().stream()).filter(r -> r.getNodeId().equals(node));
    }
}
