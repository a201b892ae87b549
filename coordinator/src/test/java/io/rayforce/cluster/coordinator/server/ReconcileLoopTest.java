package io.rayforce.cluster.coordinator.server;

import static io.rayforce.cluster.coordinator.server.ControlServiceTest.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.placement.Reconciler;
import io.rayforce.cluster.coordinator.proto.Replica;
import io.rayforce.cluster.coordinator.proto.ReplicaState;
import io.rayforce.cluster.coordinator.proto.ShardPlacement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReconcileLoopTest {
    private static final Duration GRACE = Duration.ofMillis(800);

    private final LeaderFixture f = new LeaderFixture().withNodes("n1", "n2", "n3");
    private ReconcileLoop loop;
    private TaskRunner runner;

    private void startLoop() {
        runner = new TaskRunner(2, nanos -> loop.lookAgainIn(nanos));
        OrphanShards orphans = new OrphanShards(f.view, f.nodes, runner::isRunning, table -> false);
        loop = new ReconcileLoop(f.view, f.store, new Reconciler(GRACE), runner, f.mover(), orphans, null);
        loop.start();
    }

    @AfterEach
    void close() {
        if (loop != null) {
            loop.close();
            runner.close();
        }
        f.close();
    }

    private List<Replica> replicasOn(String node) {
        return f.view.snapshot().tables().values().stream().flatMap(t -> t.getShardsList().stream())
                .flatMap(s -> s.getReplicasList().stream()).filter(r -> r.getNodeId().equals(node)).toList();
    }

    @Test
    void aLostNodesReplicasAreDownAtOnceAndRepairedElsewhereAfterTheGrace() throws Exception {
        ClusterSnapshot snap = f.placed(spec("t", 3, 2));
        for (ShardPlacement s : snap.table("t").orElseThrow().getShardsList()) {
            for (Replica r : s.getReplicasList()) {
                f.node(r.getNodeId()).write("t", s.getShard(), 100 + s.getShard());
            }
        }
        startLoop();
        int lost = replicasOn("n2").size();
        long leftAt = System.nanoTime();
        f.node("n2").close();

        await().atMost(Duration.ofSeconds(5)).until(() -> !replicasOn("n2").isEmpty()
                && replicasOn("n2").stream().allMatch(r -> r.getState() == ReplicaState.DOWN));
        await().atMost(Duration.ofSeconds(15)).until(() -> replicasOn("n2").isEmpty());
        assertThat(System.nanoTime() - leftAt).isGreaterThanOrEqualTo(GRACE.toNanos());
        await().atMost(Duration.ofSeconds(5)).until(() -> f.view.snapshot().table("t").orElseThrow().getShardsList().stream()
                .allMatch(s -> s.getReplicasCount() == 2 && s.getReplicasList().stream().allMatch(r -> r.getState() == ReplicaState.LIVE)));
        long copies = f.agents.stream().flatMap(n -> n.commands.stream()).filter(c -> c.startsWith("copy t/")).count();
        assertThat(copies).isEqualTo(lost);
    }

    @Test
    void everyNodeIsSweptOfShardsNotPlacedOnItWhenTheLoopFirstSeesIt() throws Exception {
        ClusterSnapshot snap = f.placed(spec("t", 1, 1));
        String holder = snap.shard("t", 0).getReplicas(0).getNodeId();
        f.node(holder).write("t", 0, 7);
        f.node("n1").write("old", 3, 7); // left over from before
        startLoop();
        await().atMost(Duration.ofSeconds(10)).until(() -> f.node("n1").commands.contains("drop old/3"));
        assertThat(f.node("n1").holds("old", 3)).isFalse();
        assertThat(f.node(holder).rows("t", 0)).isEqualTo(7);
        assertThat(f.node(holder).commands).doesNotContain("drop t/0");
    }

    @Test
    void aClosedLoopChangesNothing() throws Exception {
        f.placed(spec("t", 3, 2));
        startLoop();
        loop.close();
        runner.close();
        f.node("n3").close();
        Thread.sleep(500);
        assertThat(replicasOn("n3")).isNotEmpty().allMatch(r -> r.getState() == ReplicaState.LIVE);
    }
}
