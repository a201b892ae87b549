package io.rayforce.cluster.node.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.RebalanceRequest;
import io.rayforce.cluster.coordinator.proto.RebalanceResponse;
import io.rayforce.cluster.coordinator.proto.ShardMove;
import io.rayforce.cluster.node.testing.ClusterHarness;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A rebalance after a node joins moves replicas onto it, without losing rows and without ever fewer LIVE replicas. */
class RebalanceTest {
    @TempDir
    Path dir;

    @Test
    void aRebalanceMovesDataOntoANewNodeWithoutLossOrAMomentWithFewerLiveReplicas() {
        try (ClusterHarness cluster = ClusterHarness.start(dir, "rebalance", 1, "a", "b")) {
            cluster.createTable(ClusterHarness.trades("trades", 8, 2));
            cluster.awaitHealthy("trades", 2, Duration.ofSeconds(20));
            Map<Integer, RayTable> expected = cluster.load("trades", 1000, Map.of());

            cluster.addNode("c");
            cluster.awaitMembers(Set.of("a", "b", "c"));
            assertThat(ClusterHarness.holders(cluster.snapshot(), "trades")).isEqualTo(Set.of("a", "b"));

            AtomicInteger samples = new AtomicInteger();
            AtomicInteger fewest = new AtomicInteger(Integer.MAX_VALUE);
            Consumer<ClusterSnapshot> sampler = snap -> {
                samples.incrementAndGet();
                ClusterHarness.liveCounts(snap, "trades").values().forEach(n -> fewest.accumulateAndGet(n, Math::min));
            };
            cluster.view().addListener(sampler);
            RebalanceResponse r;
            try {
                r = cluster.control().rebalance(RebalanceRequest.newBuilder().setWait(true).build());
            } finally {
                cluster.view().removeListener(sampler);
            }
            assertThat(r.getMovesList()).isNotEmpty();
            assertThat(r.getMovesList()).extracting(ShardMove::getToNode).containsOnly("c");
            assertThat(samples.get()).as("placement snapshots seen during the moves").isGreaterThanOrEqualTo(r.getMovesCount());
            assertThat(fewest.get()).as("fewest LIVE replicas of any shard during the rebalance").isEqualTo(2);

            ClusterSnapshot after = cluster.awaitHealthy("trades", 2, Duration.ofSeconds(60));
            assertThat(ClusterHarness.holders(after, "trades")).contains("c");
            long onC = after.table("trades").orElseThrow().getShardsList().stream()
                    .filter(s -> s.getReplicasList().stream().anyMatch(x -> x.getNodeId().equals("c"))).count();
            assertThat(onC).isEqualTo(r.getMovesCount());
            cluster.assertDataIntact("trades", expected);
        }
    }
}
