package io.rayforce.cluster.node.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.DrainNodeRequest;
import io.rayforce.cluster.coordinator.proto.DrainNodeResponse;
import io.rayforce.cluster.node.testing.ClusterHarness;
import io.rayforce.cluster.node.testing.NodeProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drain moves every replica off a node, which then leaves by itself; no row is lost. */
class DrainTest {
    @TempDir
    Path dir;

    @Test
    void aDrainedNodeHandsItsShardsOffAndLeaves() throws Exception {
        try (ClusterHarness cluster = ClusterHarness.start(dir, "drain", 1, "a", "b", "c")) {
            cluster.createTable(ClusterHarness.trades("trades", 6, 2));
            cluster.awaitHealthy("trades", 2, Duration.ofSeconds(20));
            Map<Integer, RayTable> expected = cluster.load("trades", 500, Map.of());
            assertThat(ClusterHarness.holders(cluster.snapshot(), "trades")).contains("c");

            AtomicInteger fewest = new AtomicInteger(Integer.MAX_VALUE);
            Consumer<ClusterSnapshot> sampler = snap ->
                    ClusterHarness.liveCounts(snap, "trades").values().forEach(n -> fewest.accumulateAndGet(n, Math::min));
            cluster.view().addListener(sampler);
            NodeProcess c = cluster.node("c");
            List<ProcessHandle> engines = c.engines();
            DrainNodeResponse r = cluster.control().drainNode(DrainNodeRequest.newBuilder().setNodeId("c").build());
            assertThat(r.getReplicasToMove()).isPositive();

            c.drained().get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(c.awaitExit(Duration.ofSeconds(30))).as("the drained node exits by itself").isTrue();
            cluster.view().removeListener(sampler);
            assertThat(c.exitCode()).isZero();
            engines.forEach(e -> assertThat(e.isAlive()).as("engine of the drained node").isFalse());

            ClusterSnapshot after = cluster.awaitHealthy("trades", 2, Duration.ofSeconds(30));
            assertThat(ClusterHarness.holders(after, "trades")).isEqualTo(Set.of("a", "b"));
            assertThat(after.nodes()).doesNotContainKey("c");
            assertThat(fewest.get()).as("fewest LIVE replicas of any shard during the drain").isEqualTo(2);
            cluster.assertDataIntact("trades", expected);
        }
    }
}
