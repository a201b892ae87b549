package io.rayforce.cluster.coordinator.server;

import static io.rayforce.cluster.coordinator.server.ControlServiceTest.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.CreateTableRequest;
import io.rayforce.cluster.coordinator.proto.DescribeClusterRequest;
import io.rayforce.cluster.coordinator.proto.DrainNodeRequest;
import io.rayforce.cluster.coordinator.proto.DrainNodeResponse;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.coordinator.proto.RebalanceRequest;
import io.rayforce.cluster.coordinator.proto.RebalanceResponse;
import io.rayforce.cluster.coordinator.proto.Replica;
import io.rayforce.cluster.coordinator.proto.ReplicaState;
import io.rayforce.cluster.coordinator.proto.ShardMove;
import io.rayforce.cluster.coordinator.proto.ShardPlacement;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.testing.TestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Rebalancing onto a joining node and draining a node, with the live replica count watched throughout. */
class DrainAndRebalanceTest {

    /** A leader, nodes n1 and n2, table t (8 shards x 1, each with rows) and table u (4 x 2). */
    private static Coordinator leaderOfTwoNodesWithTables(TestCluster cluster) {
        Coordinator c = cluster.startCoordinator();
        cluster.startNode("n1");
        cluster.startNode("n2");
        await().atMost(Duration.ofSeconds(10)).until(() -> c.isLeader() && c.view().snapshot().nodes().size() == 2);
        var client = cluster.client(c);
        client.createTable(CreateTableRequest.newBuilder().setSpec(spec("t", 8, 1)).build());
        client.createTable(CreateTableRequest.newBuilder().setSpec(spec("u", 4, 2)).build());
        for (ShardPlacement s : c.view().snapshot().table("t").orElseThrow().getShardsList()) {
            cluster.node(s.getReplicas(0).getNodeId()).write("t", s.getShard(), 1000 + s.getShard());
        }
        return c;
    }

    @Test
    void rebalanceMovesShardsOntoAJoiningNodeAddingBeforeDropping() throws Exception {
        try (TestCluster cluster = new TestCluster(Duration.ofSeconds(30))) {
            Coordinator c = leaderOfTwoNodesWithTables(cluster);
            var client = cluster.client(c);
            List<String> dips = watchLiveCounts(c, Map.of("t", 1, "u", 2));

            cluster.startNode("n3");
            await().atMost(Duration.ofSeconds(10)).until(() -> c.view().snapshot().nodes().size() == 3);
            RebalanceResponse plan = client.rebalance(RebalanceRequest.newBuilder().setDryRun(true).build());
            assertThat(plan.getMovesList()).isNotEmpty().allMatch(m -> m.getToNode().equals("n3"));
            assertThat(cluster.node("n3").commands).isEmpty(); // a dry run moves nothing

            RebalanceResponse done = client.rebalance(RebalanceRequest.newBuilder().setWait(true).build());
            assertThat(done.getMovesList()).hasSameSizeAs(plan.getMovesList());
            ClusterSnapshot snap = c.view().awaitEpoch(done.getEpoch(), Duration.ofSeconds(5));
            assertThat(perNode(snap.table("t").orElseThrow()).values()).allMatch(n -> n == 2 || n == 3);
            assertThat(perNode(snap.table("u").orElseThrow())).containsOnlyKeys("n1", "n2", "n3");
            assertThat(snap.tables().values()).allSatisfy(t -> assertThat(t.getShardsList())
                    .allSatisfy(s -> assertThat(s.getReplicasList()).allMatch(r -> r.getState() == ReplicaState.LIVE)));
            for (ShardMove m : done.getMovesList()) {
                if (m.getTable().equals("t")) {
                    assertThat(cluster.node("n3").rows("t", m.getShard())).isEqualTo(1000 + m.getShard());
                    assertThat(cluster.node(m.getFromNode()).holds("t", m.getShard())).isFalse();
                }
            }
            assertThat(dips).isEmpty();
            assertThat(client.rebalance(RebalanceRequest.newBuilder().setDryRun(true).build()).getMovesList()).isEmpty();
        }
    }

    @Test
    void aJoiningNodeIsRebalancedOntoByItselfAddingBeforeDropping() throws Exception {
        try (TestCluster cluster = new TestCluster(Duration.ofSeconds(30)).withAutoRebalance()) {
            Coordinator c = leaderOfTwoNodesWithTables(cluster);
            var client = cluster.client(c);
            List<String> dips = watchLiveCounts(c, Map.of("t", 1, "u", 2));

            cluster.startNode("n3"); // no rebalance request: the leader moves shards onto it by itself
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                ClusterSnapshot s = c.view().snapshot();
                return perNode(s.table("t").orElseThrow()).getOrDefault("n3", 0) >= 2
                        && perNode(s.table("u").orElseThrow()).containsKey("n3")
                        && s.tables().values().stream().flatMap(t -> t.getShardsList().stream())
                        .allMatch(sp -> sp.getReplicasList().stream().allMatch(r -> r.getState() == ReplicaState.LIVE))
                        // every replica LIVE also holds between two moves of the rebalance: done when none is left to plan
                        && client.rebalance(RebalanceRequest.newBuilder().setDryRun(true).build()).getMovesList().isEmpty();
            });
            ClusterSnapshot snap = c.view().snapshot();
            assertThat(perNode(snap.table("t").orElseThrow()).values()).allMatch(n -> n == 2 || n == 3);
            for (ShardPlacement s : snap.table("t").orElseThrow().getShardsList()) {
                String holder = s.getReplicas(0).getNodeId();
                assertThat(cluster.node(holder).rows("t", s.getShard())).as("rows of t/%d on %s", s.getShard(), holder)
                        .isEqualTo(1000 + s.getShard());
            }
            assertThat(client.rebalance(RebalanceRequest.newBuilder().setDryRun(true).build()).getMovesList()).isEmpty();
            assertThat(dips).isEmpty();
        }
    }

    @Test
    void drainEmptiesANodeKeepingEveryShardFullyReplicated() throws Exception {
        try (TestCluster cluster = new TestCluster(Duration.ofSeconds(30))) {
            Coordinator c = cluster.startCoordinator();
            for (String id : List.of("n1", "n2", "n3", "n4")) {
                cluster.startNode(id);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> c.isLeader() && c.view().snapshot().nodes().size() == 4);
            var client = cluster.client(c);
            client.createTable(CreateTableRequest.newBuilder().setSpec(spec("t", 6, 2)).build());
            List<String> dips = watchLiveCounts(c, Map.of("t", 2));

            DrainNodeResponse r = client.drainNode(DrainNodeRequest.newBuilder().setNodeId("n1").setWait(true).build());
            assertThat(r.getReplicasToMove()).isEqualTo(3);
            ClusterSnapshot snap = c.view().awaitEpoch(r.getEpoch(), Duration.ofSeconds(5));
            assertThat(perNode(snap.table("t").orElseThrow())).doesNotContainKey("n1");
            assertThat(snap.table("t").orElseThrow().getShardsList()).allSatisfy(s ->
                    assertThat(s.getReplicasList()).hasSize(2).allMatch(x -> x.getState() == ReplicaState.LIVE));
            NodeInfo n1 = client.describeCluster(DescribeClusterRequest.getDefaultInstance()).getNodesList().stream()
                    .filter(n -> n.getId().equals("n1")).findFirst().orElseThrow();
            assertThat(n1.getDraining()).isTrue();
            assertThat(cluster.node("n1").shards).isEmpty();
            assertThat(dips).isEmpty();

            // a drained node takes no new table; undrain makes it eligible again
            TablePlacement x = client.createTable(CreateTableRequest.newBuilder().setSpec(spec("x", 3, 3)).build());
            assertThat(perNode(x)).doesNotContainKey("n1");
            client.drainNode(DrainNodeRequest.newBuilder().setNodeId("n1").setUndrain(true).build());
            await().atMost(Duration.ofSeconds(5)).until(() -> !c.view().snapshot().node("n1").orElseThrow().getDraining());
            TablePlacement y = client.createTable(CreateTableRequest.newBuilder().setSpec(spec("y", 4, 4)).build());
            assertThat(perNode(y)).containsKey("n1");
        }
    }

    @Test
    void drainingTheOnlyPlaceAShardCanGoIsRefused() {
        try (TestCluster cluster = new TestCluster(Duration.ofSeconds(30))) {
            Coordinator c = cluster.startCoordinator();
            cluster.startNode("n1");
            cluster.startNode("n2");
            await().atMost(Duration.ofSeconds(10)).until(() -> c.isLeader() && c.view().snapshot().nodes().size() == 2);
            var client = cluster.client(c);
            client.createTable(CreateTableRequest.newBuilder().setSpec(spec("t", 2, 2)).build());
            ControlServiceTest.assertError(() -> client.drainNode(DrainNodeRequest.newBuilder().setNodeId("n1").build()),
                    Status.Code.FAILED_PRECONDITION, "cannot drain node n1: shard t/0");
            ControlServiceTest.assertError(() -> client.drainNode(DrainNodeRequest.newBuilder().setNodeId("zz").build()),
                    Status.Code.NOT_FOUND, "no node zz");
            assertThat(c.view().snapshot().node("n1").orElseThrow().getDraining()).isFalse();
        }
    }

    private static Map<String, Integer> perNode(TablePlacement t) {
        Map<String, Integer> out = new HashMap<>();
        for (ShardPlacement s : t.getShardsList()) {
            for (Replica r : s.getReplicasList()) {
                out.merge(r.getNodeId(), 1, Integer::sum);
            }
        }
        return out;
    }

    /** Records every snapshot in which a shard has fewer LIVE replicas than its table's replication. */
    private static List<String> watchLiveCounts(Coordinator c, Map<String, Integer> expected) {
        List<String> dips = Collections.synchronizedList(new ArrayList<>());
        Consumer<ClusterSnapshot> check = snap -> expected.forEach((table, rf) -> snap.table(table).ifPresent(t -> {
            for (ShardPlacement s : t.getShardsList()) {
                long live = s.getReplicasList().stream().filter(r -> r.getState() == ReplicaState.LIVE).count();
                if (live < rf) {
                    dips.add("epoch " + snap.epoch() + ": " + table + "/" + s.getShard() + " has " + live + " LIVE");
                }
            }
        }));
        c.view().addListener(check);
        return dips;
    }
}
