package io.rayforce.cluster.coordinator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.ClusterState;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.coordinator.proto.Replica;
import io.rayforce.cluster.coordinator.proto.ReplicaState;
import io.rayforce.cluster.coordinator.proto.ShardPlacement;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What an operator reads of a failover and its repair, from the snapshots a view publishes. */
class PlacementEventsTest {
    @Test
    void aLostNodeItsFailoverAndTheRepairAreEvents() {
        PlacementEvents events = PlacementEvents.detached();
        events.changed(snapshot(1, List.of(node("n1", true), node("n2", true), node("n3", true)),
                table("LIVE", "LIVE", "n1", "n2"), table2()));
        assertThat(events.recent()).extracting(PlacementEvents.Event::text)
                .contains("node n1 joined", "table t created", "table u created");

        // n2 leaves: its replicas go DOWN
        events.changed(snapshot(2, List.of(node("n1", true), node("n3", true)), table("LIVE", "DOWN", "n1", "n2"), table2()));
        assertThat(events.recent().get(0).epoch()).isEqualTo(2);
        assertThat(events.recent()).extracting(PlacementEvents.Event::kind).startsWith("node-left", "failover");
        assertThat(events.recent().get(1).text()).isEqualTo("node n2: 2 replicas failed over (no longer LIVE): t/0 (LIVE to DOWN), "
                + "t/1 (LIVE to DOWN)");

        // repair: copies on n3, then LIVE, the DOWN ones removed
        ClusterSnapshot copying = snapshot(3, List.of(node("n1", true), node("n3", false)),
                tableWith(List.of(replica("n1", "LIVE"), replica("n2", "DOWN"), replica("n3", "COPYING"))), table2());
        events.changed(copying);
        assertThat(events.recent()).extracting(PlacementEvents.Event::kind).startsWith("engine-down", "repair");
        events.changed(snapshot(4, List.of(node("n1", true), node("n3", true)),
                tableWith(List.of(replica("n1", "LIVE"), replica("n3", "LIVE"))), table2()));
        assertThat(events.recent()).extracting(PlacementEvents.Event::text).startsWith("the engine of node n3 is up again",
                "node n3: 2 replicas now LIVE: t/0 (COPYING to LIVE), t/1 (COPYING to LIVE)",
                "node n2: 2 replicas removed: t/0 (DOWN removed), t/1 (DOWN removed)");

        events.changed(snapshot(5, List.of(node("n1", true), node("n3", true)),
                tableWith(List.of(replica("n1", "LIVE"), replica("n3", "LIVE")))));
        assertThat(events.recent().get(0).text()).isEqualTo("table u dropped");
    }

    @Test
    void keepsTheLastHundred() {
        PlacementEvents events = PlacementEvents.detached();
        for (int i = 0; i < 150; i++) {
            events.changed(snapshot(i, List.of(node("n" + (i % 2), true)), table("LIVE", "LIVE", "n1", "n2")));
        }
        assertThat(events.recent()).hasSize(PlacementEvents.KEPT);
        assertThat(events.recent().get(0).epoch()).isEqualTo(149);
    }

    private static ClusterSnapshot snapshot(long epoch, List<NodeInfo> nodes, TablePlacement... tables) {
        return new ClusterSnapshot(ClusterState.newBuilder().setEpoch(epoch).addAllNodes(nodes).addAllTables(List.of(tables)).build());
    }

    private static NodeInfo node(String id, boolean up) {
        return NodeInfo.newBuilder().setId(id).setHost("h").setEngineUp(up).build();
    }

    /** t: 2 shards, the first replica on {@code a} in state {@code sa}, the second on {@code b} in {@code sb}. */
    private static TablePlacement table(String sa, String sb, String a, String b) {
        return tableWith(List.of(replica(a, sa), replica(b, sb)));
    }

    private static TablePlacement tableWith(List<Replica> replicas) {
        TablePlacement.Builder t = TablePlacement.newBuilder().setSpec(TableSpec.newBuilder().setName("t").setShardCount(2));
        for (int s = 0; s < 2; s++) {
            t.addShards(ShardPlacement.newBuilder().setShard(s).addAllReplicas(replicas));
        }
        return t.build();
    }

    private static TablePlacement table2() {
        return TablePlacement.newBuilder().setSpec(TableSpec.newBuilder().setName("u").setShardCount(1))
                .addShards(ShardPlacement.newBuilder().setShard(0).addReplicas(replica("n1", "LIVE"))).build();
    }

    private static Replica replica(String node, String state) {
        return Replica.newBuilder().setNodeId(node).setState(ReplicaState.valueOf(state)).build();
    }
}
