package io.rayforce.cluster.coordinator.server;

import static io.rayforce.cluster.coordinator.server.ControlServiceTest.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.coordinator.meta.ClusterNaming.ShardRef;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.testing.InMemoryNodeAgent;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OrphanShardsTest {
    private final LeaderFixture f = new LeaderFixture().withNodes("n1");

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void aSweepDropsWhatIsNotPlacedOnTheNodeAndKeepsTheRest() throws Exception {
        ClusterSnapshot snap = f.placed(spec("t", 2, 1));
        InMemoryNodeAgent n1 = f.node("n1");
        n1.write("t", 0, 5); // placed here
        n1.write("t", 1, 5); // placed here
        n1.write("t", 7, 5); // no such shard
        n1.write("gone", 0, 5); // no such table
        n1.write("busy", 0, 5); // a task is on it
        n1.write("new", 0, 5); // being created
        assertThat(snap.table("t").orElseThrow().getShardsList()).allMatch(s -> s.getReplicas(0).getNodeId().equals("n1"));

        new OrphanShards(f.view, f.nodes, Set.of(new ShardRef("busy", 0))::contains, Set.of("new")::contains).sweep("n1");

        assertThat(n1.shards.keySet()).containsExactlyInAnyOrder("t__0", "t__1", "busy__0", "new__0");
        assertThat(n1.commands).contains("drop t/7", "drop gone/0");
    }

    @Test
    void aNodeThatIsNoMemberOrCannotBeReachedIsLeftAlone() {
        OrphanShards orphans = new OrphanShards(f.view, f.nodes, ref -> false, table -> false);
        orphans.sweep("zz");
        InMemoryNodeAgent n1 = f.node("n1");
        n1.write("gone", 0, 5);
        n1.close(); // still in this snapshot for a moment, or already gone: either way no exception
        orphans.sweep("n1");
        assertThat(n1.shards).containsKey("gone__0");
    }
}
