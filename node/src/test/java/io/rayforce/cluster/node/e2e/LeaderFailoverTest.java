package io.rayforce.cluster.node.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.coordinator.proto.DescribeClusterRequest;
import io.rayforce.cluster.node.testing.ClusterHarness;
import io.rayforce.cluster.node.testing.CoordinatorProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 of the leader coordinator: another takes over, and table creation and repair keep working. */
class LeaderFailoverTest {
    @TempDir
    Path dir;

    @Test
    void killingTheLeaderHandsLeadershipOverAndPlacementKeepsWorking() {
        try (ClusterHarness cluster = ClusterHarness.start(dir, "failover", 2, "a", "b", "c")) {
            cluster.createTable(ClusterHarness.trades("before", 4, 2));
            cluster.awaitHealthy("before", 2, Duration.ofSeconds(20));
            Map<Integer, RayTable> before = cluster.load("before", 200, Map.of());

            String leaderAddress = cluster.leader();
            CoordinatorProcess leader = cluster.coordinators().stream().filter(c -> c.address().equals(leaderAddress)).findFirst()
                    .orElseThrow(() -> new AssertionError("leader " + leaderAddress + " is none of " + cluster.coordinators()));
            CoordinatorProcess survivor = cluster.coordinators().stream().filter(c -> c != leader).findFirst().orElseThrow();
            leader.kill9();

            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> survivor.address().equals(
                    cluster.control(survivor).describeCluster(DescribeClusterRequest.getDefaultInstance()).getLeader()));

            cluster.createTable(ClusterHarness.trades("after", 4, 2));
            cluster.awaitHealthy("after", 2, Duration.ofSeconds(20));
            Map<Integer, RayTable> after = cluster.load("after", 200, Map.of());

            cluster.node("a").kill9();
            await().atMost(Duration.ofSeconds(15)).until(() -> !cluster.snapshot().nodes().containsKey("a"));
            cluster.awaitHealthy("before", 2, Duration.ofSeconds(60));
            cluster.awaitHealthy("after", 2, Duration.ofSeconds(60));
            assertThat(ClusterHarness.holders(cluster.snapshot(), "before")).isEqualTo(Set.of("b", "c"));
            cluster.assertDataIntact("before", before);
            cluster.assertDataIntact("after", after);
        }
    }
}
