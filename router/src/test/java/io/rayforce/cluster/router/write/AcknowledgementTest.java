package io.rayforce.cluster.router.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.placement.PlacementEdits;
import io.rayforce.cluster.coordinator.proto.Replica;
import io.rayforce.cluster.coordinator.proto.ReplicaState;
import io.rayforce.cluster.router.ZooKeeperPlacement;
import io.rayforce.cluster.router.services.CoordinatorClient;
import io.rayforce.cluster.router.services.CoordinatorDirectory;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The acknowledgement of a write against the real coordinator: a replica that missed a write is
 * marked STALE only while a replica that applied it is LIVE. Two writes in flight at once (a write
 * lease's one-step group and the next group's append) can each fail on the replica the other
 * applied on; the second is then not acknowledged, and the shard keeps a LIVE replica.
 */
class AcknowledgementTest {

    @Test
    void theSecondOfTwoCrossedFailuresIsNotAcknowledgedAndTheShardKeepsALiveReplica() throws Exception {
        try (WriteCluster c = new WriteCluster(2, 500)) {
            c.client.execute("(.cluster.create 'k (table [id v] (list (til 4) (til 4))) 'id 1 2)");
            try (ZooKeeperPlacement p = ZooKeeperPlacement.connect(c.zk.connectString(), c.cluster, Duration.ofSeconds(2));
                    CoordinatorClient control = new CoordinatorClient(new CoordinatorDirectory(p.connection().curator(), p),
                            Duration.ofSeconds(30))) {
                await().atMost(Duration.ofSeconds(30)).until(() -> p.snapshot().table("k").isPresent());
                ClusterSnapshot at = p.snapshot();
                List<String> nodes = at.shard("k", 0).getReplicasList().stream().map(Replica::getNodeId).toList();
                String a = nodes.get(0);
                String b = nodes.get(1);
                Acknowledgement ack = new Acknowledgement(control);

                Acknowledgement.Verdict first = ack.settle(at.epoch(), List.of(new ShardOutcome("k", 0, List.of(
                        ReplicaOutcome.applied(a, I64Atom.of(1)), ReplicaOutcome.failed(b, "timed out")), "")));
                assertThat(first.acknowledged()).as("applied on %s, %s marked STALE", a, b).isTrue();

                Acknowledgement.Verdict second = ack.settle(at.epoch(), List.of(new ShardOutcome("k", 0, List.of(
                        ReplicaOutcome.failed(a, "timed out"), ReplicaOutcome.applied(b, I64Atom.of(1))), "")));
                assertThat(second.acknowledged()).as("applied only on %s, which is STALE by now", b).isFalse();
                // b is STALE, or already COPYING as the leader re-fills it from a
                assertThat(second.reasons()).contains("the replica of shard 0 of k on " + a + " missed it (timed out)")
                        .containsPattern("no replica that applied the write is LIVE any more \\(\\[" + b + " (STALE|COPYING)\\]\\)");

                ClusterSnapshot after = c.client.placement().snapshot();
                assertThat(PlacementEdits.state(after.table("k").orElseThrow(), 0, a)).isEqualTo(ReplicaState.LIVE);
                assertThat(PlacementEdits.state(after.table("k").orElseThrow(), 0, b)).isIn(ReplicaState.STALE,
                        ReplicaState.COPYING, ReplicaState.LIVE); // the leader re-fills it from a
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(c.client.placement().snapshot()
                        .shard("k", 0).getReplicasList()).extracting(Replica::getState).containsOnly(ReplicaState.LIVE));
            }
        }
    }
}
