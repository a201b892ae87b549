package io.rayforce.cluster.coordinator.server;

import static io.rayforce.cluster.coordinator.server.ControlServiceTest.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.rayforce.cluster.coordinator.meta.ClusterNaming.ShardRef;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.placement.PlacementException;
import io.rayforce.cluster.coordinator.proto.DrainNodeRequest;
import io.rayforce.cluster.coordinator.proto.DrainNodeResponse;
import io.rayforce.cluster.coordinator.proto.OperationProgress;
import io.rayforce.cluster.coordinator.proto.RebalanceRequest;
import io.rayforce.cluster.coordinator.proto.RebalanceResponse;
import io.rayforce.cluster.coordinator.proto.Replica;
import io.rayforce.cluster.coordinator.proto.ReplicaState;
import io.rayforce.cluster.coordinator.proto.ShardMove;
import io.rayforce.cluster.coordinator.proto.ShardPlacement;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MoveRequestsTest {
    private final LeaderFixture f = new LeaderFixture().withNodes("n1", "n2");
    private final TaskRunner runner = new TaskRunner(2, nanos -> { });
    private final ProgressBoard progress = new ProgressBoard();
    private final MoveRequests moves = new MoveRequests(f.store, f.mover(), runner, progress, Duration.ofSeconds(10));

    @AfterEach
    void close() {
        runner.close();
        f.close();
    }

    /** A table placed on the current nodes, each replica holding rows. */
    private void table(TableSpec spec) throws Exception {
        ClusterSnapshot snap = f.placed(spec);
        for (ShardPlacement s : snap.table(spec.getName()).orElseThrow().getShardsList()) {
            for (Replica r : s.getReplicasList()) {
                f.node(r.getNodeId()).write(spec.getName(), s.getShard(), 10 + s.getShard());
            }
        }
    }

    @Test
    void rebalancePlansMovesOntoAJoiningNodeAndWithWaitMakesThem() throws Exception {
        table(spec("t", 6, 1));
        f.withNodes("n3");
        RebalanceResponse plan = moves.rebalance(RebalanceRequest.newBuilder().setDryRun(true).build());
        assertThat(plan.getMovesList()).hasSize(2).allMatch(m -> m.getToNode().equals("n3"));
        assertThat(f.node("n3").commands).isEmpty();

        RebalanceResponse done = moves.rebalance(RebalanceRequest.newBuilder().setWait(true).setOperationId("op1").build());
        assertThat(done.getMovesList()).isEqualTo(plan.getMovesList());
        OperationProgress p = progress.report("op1").getOperations(0);
        long bytes = done.getMovesList().stream().mapToLong(m -> 8L * (10 + m.getShard())).sum();
        assertThat(p.getKind()).isEqualTo("rebalance");
        assertThat(p.getShardsTotal()).isEqualTo(2);
        assertThat(p.getShardsDone()).isEqualTo(2);
        assertThat(p.getShardsFailed()).isZero();
        assertThat(p.getBytesCopied()).as("what the copies reported").isEqualTo(bytes);
        assertThat(p.getFinished()).isTrue();
        ClusterSnapshot snap = f.view.awaitEpoch(done.getEpoch(), Duration.ofSeconds(5));
        for (ShardMove m : done.getMovesList()) {
            assertThat(snap.shard("t", m.getShard()).getReplicasList()).extracting(Replica::getNodeId).containsExactly("n3");
            assertThat(f.node("n3").rows("t", m.getShard())).isEqualTo(10 + m.getShard());
            assertThat(f.node(m.getFromNode()).holds("t", m.getShard())).isFalse();
        }
        assertThat(moves.rebalance(RebalanceRequest.newBuilder().setDryRun(true).build()).getMovesList()).isEmpty();
    }

    @Test
    void rebalanceLeavesOutShardsWithATaskRunning() throws Exception {
        table(spec("t", 6, 1));
        f.withNodes("n3");
        ShardMove first = moves.rebalance(RebalanceRequest.newBuilder().setDryRun(true).build()).getMoves(0);
        CountDownLatch release = new CountDownLatch(1);
        runner.submit(new ShardRef("t", first.getShard()), "test", release::await);
        try {
            assertThat(moves.rebalance(RebalanceRequest.newBuilder().setDryRun(true).build()).getMovesList())
                    .noneMatch(m -> m.getShard() == first.getShard());
        } finally {
            release.countDown();
        }
    }

    @Test
    void drainWithWaitEmptiesTheNodeAndMarksItDraining() throws Exception {
        f.withNodes("n3");
        table(spec("t", 4, 2));
        DrainNodeResponse r = moves.drain(DrainNodeRequest.newBuilder().setNodeId("n1").setWait(true).build());

        assertThat(r.getReplicasToMove()).isEqualTo(r.getMovesCount()).isPositive();
        OperationProgress p = progress.report("").getOperationsList().stream().filter(o -> o.getKind().equals("drain n1"))
                .findFirst().orElseThrow();
        assertThat(p.getShardsDone()).isEqualTo(r.getMovesCount()).isEqualTo(p.getShardsTotal());
        assertThat(p.getBytesCopied()).isPositive();
        assertThat(p.getId()).as("a made-up id when the request names none").startsWith("drain-n1-");
        ClusterSnapshot snap = f.view.awaitEpoch(r.getEpoch(), Duration.ofSeconds(5));
        assertThat(snap.node("n1").orElseThrow().getDraining()).isTrue();
        for (ShardPlacement s : snap.table("t").orElseThrow().getShardsList()) {
            assertThat(s.getReplicasList()).hasSize(2).noneMatch(x -> x.getNodeId().equals("n1"))
                    .allMatch(x -> x.getState() == ReplicaState.LIVE);
        }
        assertThat(f.node("n1").shards).isEmpty();

        moves.drain(DrainNodeRequest.newBuilder().setNodeId("n1").setUndrain(true).build());
        await().atMost(Duration.ofSeconds(5)).until(() -> !f.view.snapshot().node("n1").orElseThrow().getDraining());
    }

    @Test
    void aDrainWithNowhereToGoOrOfNoNodeIsRefused() throws Exception {
        table(spec("t", 2, 2));
        assertThatThrownBy(() -> moves.drain(DrainNodeRequest.newBuilder().setNodeId("n1").build()))
                .isInstanceOf(PlacementException.class).hasMessageContaining("cannot drain node n1");
        assertThatThrownBy(() -> moves.drain(DrainNodeRequest.newBuilder().setNodeId("zz").build()))
                .isInstanceOf(NotFoundException.class).hasMessage("no node zz: it is not a member and holds no replicas");
        TablePlacement t = f.snapshot().table("t").orElseThrow();
        assertThat(t.getShardsList()).allSatisfy(s -> assertThat(s.getReplicasList()).hasSize(2));
    }
}
