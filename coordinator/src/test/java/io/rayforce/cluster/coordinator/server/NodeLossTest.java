package io.rayforce.cluster.coordinator.server;

import static io.rayforce.cluster.coordinator.server.ControlServiceTest.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.placement.PlacementEdits;
import io.rayforce.cluster.coordinator.proto.ControlServiceGrpc;
import io.rayforce.cluster.coordinator.proto.CreateTableRequest;
import io.rayforce.cluster.coordinator.proto.Replica;
import io.rayforce.cluster.coordinator.proto.ReplicaState;
import io.rayforce.cluster.coordinator.proto.ReportReplicaFailureRequest;
import io.rayforce.cluster.coordinator.proto.ReportReplicaFailureResponse;
import io.rayforce.cluster.coordinator.proto.ShardPlacement;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.store.RouterRegistry;
import io.rayforce.cluster.coordinator.testing.InMemoryNodeAgent;
import io.rayforce.cluster.coordinator.testing.TestCluster;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Node loss, return and replica failures, with nodes registered in ZooKeeper but without engines. */
class NodeLossTest {
    private static final Duration GRACE = Duration.ofMillis(1500);

    private TestCluster cluster;
    private Coordinator coordinator;
    private ControlServiceGrpc.ControlServiceBlockingStub client;

    @BeforeEach
    void start() {
        cluster = new TestCluster(GRACE);
        coordinator = cluster.startCoordinator();
        for (String id : List.of("n1", "n2", "n3")) {
            cluster.startNode(id);
        }
        client = cluster.client(coordinator);
        await().atMost(Duration.ofSeconds(10)).until(() -> coordinator.isLeader() && coordinator.view().snapshot().nodes().size() == 3);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private ClusterSnapshot view() {
        return coordinator.view().snapshot();
    }

    @Test
    void aLostNodesReplicasAreDownAtOnceThenRecreatedElsewhereAfterTheGrace() {
        client.createTable(CreateTableRequest.newBuilder().setSpec(spec("t", 6, 2)).build());
        for (int s = 0; s < 6; s++) {
            for (Replica r : view().shard("t", s).getReplicasList()) {
                cluster.node(r.getNodeId()).write("t", s, 100 + s);
            }
        }
        long lostAt = System.nanoTime();
        cluster.node("n2").close();

        // DOWN well before the grace period ends
        await().atMost(Duration.ofSeconds(5)).until(() -> replicasOf("n2").stream().allMatch(r -> r.getState() == ReplicaState.DOWN)
                && !replicasOf("n2").isEmpty());
        assertThat(System.nanoTime() - lostAt).isLessThan(GRACE.toNanos());
        int lost = replicasOf("n2").size();
        assertThat(lost).isEqualTo(4);
        assertThat(cluster.node("n1").commands).noneMatch(c -> c.startsWith("copy"));
        assertThat(cluster.node("n3").commands).noneMatch(c -> c.startsWith("copy"));

        // then each comes back on the one node that does not hold the shard yet, copied from a LIVE replica
        await().atMost(Duration.ofSeconds(20)).until(() -> replicasOf("n2").isEmpty() && allLive("t"));
        assertThat(System.nanoTime() - lostAt).isGreaterThanOrEqualTo(GRACE.toNanos());
        for (ShardPlacement s : view().table("t").orElseThrow().getShardsList()) {
            assertThat(s.getReplicasList()).extracting(Replica::getNodeId).containsExactlyInAnyOrder("n1", "n3");
            assertThat(cluster.node("n1").rows("t", s.getShard())).isEqualTo(100 + s.getShard());
            assertThat(cluster.node("n3").rows("t", s.getShard())).isEqualTo(100 + s.getShard());
        }
        long copies = cluster.nodes.stream().filter(n -> !n.id().equals("n2"))
                .flatMap(n -> n.commands.stream()).filter(c -> c.startsWith("copy t/")).count();
        assertThat(copies).isEqualTo(lost);
    }

    @Test
    void aNodeReturningWithinTheGraceIsRefilledInPlace() {
        client.createTable(CreateTableRequest.newBuilder().setSpec(spec("t", 3, 3)).build());
        cluster.node("n1").write("t", 0, 5);
        cluster.node("n2").write("t", 0, 5);
        cluster.node("n3").write("t", 0, 5);
        cluster.node("n3").leave();
        await().atMost(Duration.ofSeconds(5)).until(() -> replicasOf("n3").stream().allMatch(r -> r.getState() == ReplicaState.DOWN)
                && replicasOf("n3").size() == 3);
        cluster.node("n1").write("t", 0, 1); // a write n3 missed (n2 missed it too but is LIVE here: a test shortcut)
        cluster.node("n2").write("t", 0, 1);

        InMemoryNodeAgent back = cluster.startNode("n3");
        await().atMost(Duration.ofSeconds(10)).until(() -> replicasOf("n3").size() == 3
                && replicasOf("n3").stream().allMatch(r -> r.getState() == ReplicaState.LIVE));
        assertThat(back.commands).contains("copy t/0 from n1", "copy t/1 from n1", "copy t/2 from n1");
        assertThat(back.rows("t", 0)).isEqualTo(6);
        assertThat(view().table("t").orElseThrow().getShardsList()).allSatisfy(s -> assertThat(s.getReplicasList()).hasSize(3));
    }

    @Test
    void theOnlyReplicaOfAShardComesBackLiveWithoutACopy() {
        client.createTable(CreateTableRequest.newBuilder().setSpec(spec("solo", 3, 1)).build());
        String holder = view().shard("solo", 0).getReplicas(0).getNodeId();
        cluster.node(holder).leave();
        await().atMost(Duration.ofSeconds(5)).until(() -> view().shard("solo", 0).getReplicas(0).getState() == ReplicaState.DOWN);
        InMemoryNodeAgent back = cluster.startNode(holder);
        await().atMost(Duration.ofSeconds(10)).until(() -> view().shard("solo", 0).getReplicas(0).getState() == ReplicaState.LIVE);
        assertThat(view().shard("solo", 0).getReplicas(0).getNodeId()).isEqualTo(holder);
        assertThat(back.commands).noneMatch(c -> c.startsWith("copy"));
    }

    @Test
    void aReportedReplicaFailureIsStaleBeforeTheAnswerAndEveryRouterHasAppliedIt() throws Exception {
        TablePlacement p = client.createTable(CreateTableRequest.newBuilder().setSpec(spec("w", 2, 2)).build());
        String failed = p.getShards(1).getReplicas(1).getNodeId();
        String healthy = p.getShards(1).getReplicas(0).getNodeId();
        cluster.node(healthy).write("w", 1, 7);
        cluster.node(failed).failCopies = true; // it stays STALE until the copy works
        try (RouterRegistry router = RouterRegistry.register(coordinator.connection().curator(), "r1", p.getEpoch())) {
            CompletableFuture<ReportReplicaFailureResponse> answer = CompletableFuture.supplyAsync(() -> client.reportReplicaFailure(
                    ReportReplicaFailureRequest.newBuilder().setTable("w").setShard(1).setNodeId(failed).setEpoch(p.getEpoch())
                            .setReason("connection reset").build()));
            await().atMost(Duration.ofSeconds(5)).until(() -> PlacementEdits.state(view().table("w").orElseThrow(), 1, failed) == ReplicaState.STALE);
            Thread.sleep(300);
            assertThat(answer).as("held until the router applies the STALE epoch").isNotDone();
            router.publishAppliedEpoch(view().epoch());
            ReportReplicaFailureResponse r = answer.get(5, TimeUnit.SECONDS);
            assertThat(r.getEpoch()).isEqualTo(p.getEpoch() + 1); // the epoch that marked it STALE
            assertThat(view().liveReplicas("w", 1)).extracting(n -> n.getId()).containsExactly(healthy);

            // once the node can copy again, the leader re-fills it in place
            router.close();
            cluster.node(failed).failCopies = false;
            await().atMost(Duration.ofSeconds(15)).until(() -> PlacementEdits.state(view().table("w").orElseThrow(), 1, failed) == ReplicaState.LIVE);
            assertThat(cluster.node(failed).rows("w", 1)).isEqualTo(7);
        }
    }

    private List<Replica> replicasOf(String node) {
        return view().tables().values().stream().flatMap(t -> t.getShardsList().stream())
                .flatMap(s -> s.getReplicasList().stream()).filter(r -> r.getNodeId().equals(node)).toList();
    }

    private boolean allLive(String table) {
        return view().table(table).orElseThrow().getShardsList().stream()
                .allMatch(s -> s.getReplicasCount() == 2 && s.getReplicasList().stream().allMatch(r -> r.getState() == ReplicaState.LIVE));
    }
}
