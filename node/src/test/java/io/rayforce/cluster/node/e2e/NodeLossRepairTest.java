package io.rayforce.cluster.node.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.ReplicaState;
import io.rayforce.cluster.node.testing.ClusterHarness;
import io.rayforce.cluster.node.testing.NodeProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 of a node: it leaves membership, its replicas go DOWN and are re-created elsewhere with their rows. */
class NodeLossRepairTest {
    @TempDir
    Path dir;

    @Test
    void aKilledNodesReplicasAreRepairedOnOtherNodesWithTheirDataIntact() {
        try (ClusterHarness cluster = ClusterHarness.start(dir, "repair", 1, "a", "b", "c")) {
            cluster.createTable(ClusterHarness.trades("trades", 6, 2));
            cluster.awaitHealthy("trades", 2, Duration.ofSeconds(20));
            Map<Integer, RayTable> expected = cluster.load("trades", 500, Map.of());
            expected = cluster.load("trades", 300, expected);
            cluster.assertDataIntact("trades", expected);

            ClusterSnapshot before = cluster.snapshot();
            assertThat(ClusterHarness.holders(before, "trades")).contains("c");
            NodeProcess c = cluster.node("c");
            List<ProcessHandle> engines = c.engines();
            c.kill9();
            engines.forEach(e -> assertThat(e.isAlive()).as("engine of the killed node").isFalse());
            await().atMost(Duration.ofSeconds(15)).until(() -> !cluster.snapshot().nodes().containsKey("c"));
            await().atMost(Duration.ofSeconds(10)).until(() -> cluster.snapshot().table("trades").orElseThrow().getShardsList()
                    .stream().flatMap(s -> s.getReplicasList().stream())
                    .anyMatch(r -> r.getNodeId().equals("c") && r.getState() == ReplicaState.DOWN));

            ClusterSnapshot after = cluster.awaitHealthy("trades", 2, Duration.ofSeconds(60));
            assertThat(ClusterHarness.holders(after, "trades")).isEqualTo(Set.of("a", "b"));
            cluster.assertDataIntact("trades", expected);
            assertThat(after.epoch()).isGreaterThan(before.epoch());
        }
    }
}
