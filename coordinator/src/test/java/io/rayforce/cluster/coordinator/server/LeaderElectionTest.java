package io.rayforce.cluster.coordinator.server;

import static io.rayforce.cluster.coordinator.server.ControlServiceTest.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.rayforce.cluster.coordinator.proto.ClusterState;
import io.rayforce.cluster.coordinator.proto.ControlServiceGrpc;
import io.rayforce.cluster.coordinator.proto.CreateTableRequest;
import io.rayforce.cluster.coordinator.proto.DescribeClusterRequest;
import io.rayforce.cluster.coordinator.proto.DropTableRequest;
import io.rayforce.cluster.coordinator.proto.ReplicaState;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.testing.CoordinatorProcess;
import io.rayforce.cluster.coordinator.testing.TestCluster;
import io.rayforce.cluster.coordinator.testing.TestZooKeeper;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Leader election among several coordinators and failover when the leader dies. */
class LeaderElectionTest {

    @Test
    void killingTheLeaderProcessHandsLeadershipOverAndPlacementKeepsWorking() throws Exception {
        try (TestCluster cluster = new TestCluster(Duration.ofMillis(500));
             CoordinatorProcess first = CoordinatorProcess.start(TestZooKeeper.connectString(), cluster.name, Duration.ofMillis(500))) {
            ControlServiceGrpc.ControlServiceBlockingStub viaFirst = cluster.client(first.address());
            await().atMost(Duration.ofSeconds(10)).until(() -> first.address().equals(describe(viaFirst).getLeader()));
            Coordinator b = cluster.startCoordinator();
            Coordinator c = cluster.startCoordinator();
            for (String id : List.of("n1", "n2", "n3")) {
                cluster.startNode(id);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> b.view().snapshot().nodes().size() == 3);
            assertThat(b.isLeader()).isFalse();
            assertThat(c.isLeader()).isFalse();
            assertThat(describe(cluster.client(b)).getCoordinatorsList()).containsExactlyInAnyOrder(first.address(), b.address(), c.address());

            // a non-leader forwards to the leader process
            TablePlacement before = cluster.client(b).createTable(CreateTableRequest.newBuilder().setSpec(spec("t", 4, 2)).build());
            assertThat(b.view().snapshot().table("t")).contains(before);

            long killedAt = System.nanoTime();
            first.kill();
            await().atMost(Duration.ofSeconds(15)).until(() -> b.isLeader() || c.isLeader());
            long took = (System.nanoTime() - killedAt) / 1_000_000;
            assertThat(took).as("takeover within the 4 s session timeout and a margin").isLessThan(12_000);
            Coordinator leader = cluster.leader();
            Coordinator follower = leader == b ? c : b;
            assertThat(describe(cluster.client(follower)).getLeader()).isEqualTo(leader.address());

            // placement keeps working: through the follower (forwarded) and the new leader
            cluster.client(follower).createTable(CreateTableRequest.newBuilder().setSpec(spec("u", 3, 3)).build());
            cluster.client(leader).dropTable(DropTableRequest.newBuilder().setName("t").build());
            assertThat(leader.view().snapshot().tables().keySet()).containsExactly("u");
            // and the new leader repairs node loss
            cluster.node("n3").close();
            await().atMost(Duration.ofSeconds(10)).until(() -> leader.view().snapshot().table("u").orElseThrow().getShardsList().stream()
                    .allMatch(s -> s.getReplicasList().stream().anyMatch(r -> r.getNodeId().equals("n3") && r.getState() == ReplicaState.DOWN)));
        }
    }

    @Test
    void closingTheLeaderHandsOverAtOnceAndNoLeaderMeansUnavailable() throws Exception {
        try (TestCluster cluster = new TestCluster(Duration.ofSeconds(30))) {
            Coordinator a = cluster.startCoordinator();
            await().atMost(Duration.ofSeconds(10)).until(a::isLeader);
            Coordinator b = cluster.startCoordinator();
            cluster.startNode("n1");
            await().atMost(Duration.ofSeconds(10)).until(() -> b.view().snapshot().nodes().size() == 1);
            assertThat(b.isLeader()).isFalse();
            cluster.client(b).createTable(CreateTableRequest.newBuilder().setSpec(spec("t", 2, 1)).build());

            a.close();
            await().atMost(Duration.ofSeconds(5)).until(b::isLeader);
            TablePlacement p = cluster.client(b).createTable(CreateTableRequest.newBuilder().setSpec(spec("u", 2, 1)).build());
            assertThat(p.getSpec().getCreatedEpoch()).isEqualTo(2);
            assertThat(b.view().snapshot().tables().keySet()).containsExactly("t", "u");

            b.close();
            Coordinator lone = cluster.startCoordinator();
            await().atMost(Duration.ofSeconds(5)).until(lone::isLeader);
            assertThat(lone.view().snapshot().tables().keySet()).containsExactly("t", "u");
        }
    }

    static ClusterState describe(ControlServiceGrpc.ControlServiceBlockingStub stub) {
        try {
            return stub.describeCluster(DescribeClusterRequest.getDefaultInstance());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.UNAVAILABLE) {
                return ClusterState.getDefaultInstance();
            }
            throw e;
        }
    }
}
