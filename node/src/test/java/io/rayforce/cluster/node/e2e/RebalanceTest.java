package io.rayforce.cluster.node.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.RebalanceRequest;
import io.rayforce.cluster.coordinator.proto.RebalanceResponse;
import io.rayforce.cluster.node.testing.ClusterHarness;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that joins is rebalanced onto by the leader by itself (automatic rebalance, the default),
 * without losing rows and without a moment with fewer LIVE replicas; a rebalance asked for
 * afterwards finds nothing to move.
 */
class RebalanceTest {
    @TempDir
    Path dir;

    @Test
    void aJoiningNodeIsRebalancedOntoWithoutLossOrAMomentWithFewerLiveReplicas() {
        try (ClusterHarness cluster = ClusterHarness.start(dir, "rebalance", 1, "a", "b")) {
            cluster.createTable(ClusterHarness.trades("trades", 8, 2));
            cluster.awaitHealthy("trades", 2, Duration.ofSeconds(20));
            Map<Integer, RayTable> expected = cluster.load("trades", 1000, Map.of());

            AtomicInteger samples = new AtomicInteger();
            AtomicInteger fewest = new AtomicInteger(Integer.MAX_VALUE);
            Consumer<ClusterSnapshot> sampler = snap -> {
                samples.incrementAndGet();
                ClusterHarness.liveCounts(snap, "trades").values().forEach(n -> fewest.accumulateAndGet(n, Math::min));
            };
            cluster.view().addListener(sampler);
            try {
                cluster.addNode("c");
                cluster.awaitMembers(Set.of("a", "b", "c"));
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
                    ClusterSnapshot s = cluster.snapshot();
                    long onC = s.table("trades").orElseThrow().getShardsList().stream()
                            .filter(sp -> sp.getReplicasList().stream().anyMatch(x -> x.getNodeId().equals("c"))).count();
                    return onC >= 5 && ClusterHarness.liveCounts(s, "trades").values().stream().allMatch(n -> n == 2)
                            && s.table("trades").orElseThrow().getShardsList().stream().allMatch(sp -> sp.getReplicasCount() == 2);
                });
            } finally {
                cluster.view().removeListener(sampler);
            }
            assertThat(samples.get()).as("placement snapshots seen during the moves").isGreaterThanOrEqualTo(5);
            assertThat(fewest.get()).as("fewest LIVE replicas of any shard during the rebalance").isEqualTo(2);

            RebalanceResponse r = cluster.control().rebalance(RebalanceRequest.newBuilder().setDryRun(true).build());
            assertThat(r.getMovesList()).as("moves left after the automatic rebalance").isEmpty();
            ClusterSnapshot after = cluster.awaitHealthy("trades", 2, Duration.ofSeconds(60));
            assertThat(ClusterHarness.holders(after, "trades")).containsExactlyInAnyOrder("a", "b", "c");
            cluster.assertDataIntact("trades", expected);
        }
    }
}
