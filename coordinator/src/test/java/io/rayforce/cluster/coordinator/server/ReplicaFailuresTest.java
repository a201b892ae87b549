package io.rayforce.cluster.coordinator.server;

import static io.rayforce.cluster.coordinator.server.ControlServiceTest.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.placement.PlacementEdits;
import io.rayforce.cluster.coordinator.placement.PlacementException;
import io.rayforce.cluster.coordinator.proto.ReplicaState;
import io.rayforce.cluster.coordinator.proto.ReportReplicaFailureRequest;
import io.rayforce.cluster.coordinator.store.NoSuchTableException;
import io.rayforce.cluster.coordinator.store.RouterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReplicaFailuresTest {
    private final LeaderFixture f = new LeaderFixture().withNodes("n1", "n2");
    private final ReplicaFailures failures = new ReplicaFailures(f.store, f.routers, Duration.ofMillis(500));

    @AfterEach
    void close() {
        f.close();
    }

    private static ReportReplicaFailureRequest report(String table, int shard, String node) {
        return ReportReplicaFailureRequest.newBuilder().setTable(table).setShard(shard).setNodeId(node).setReason("test").build();
    }

    @Test
    void aFailedReplicaIsStaleAtTheNextEpochAndAReportAgainChangesNothing() throws Exception {
        ClusterSnapshot snap = f.placed(spec("w", 2, 2));
        long epoch = failures.report(report("w", 1, "n2"));

        assertThat(epoch).isEqualTo(snap.epoch() + 1);
        ClusterSnapshot after = f.snapshot();
        assertThat(PlacementEdits.state(after.table("w").orElseThrow(), 1, "n2")).isEqualTo(ReplicaState.STALE);
        assertThat(PlacementEdits.state(after.table("w").orElseThrow(), 1, "n1")).isEqualTo(ReplicaState.LIVE);
        assertThat(failures.report(report("w", 1, "n2"))).isEqualTo(epoch);
    }

    /**
     * Two writes in flight at once, each failing on the replica the other applied on: the first
     * report marks n2 STALE; the second (n1 failed, n2 applied) is refused, so the shard keeps a
     * LIVE replica (marking both would leave each write only on a STALE replica, with nothing to
     * re-fill either from).
     */
    @Test
    void aReplicaIsNotMarkedStaleWhenNoReplicaThatAppliedTheWriteIsLive() throws Exception {
        f.placed(spec("w", 1, 2));
        long epoch = failures.report(report("w", 0, "n2").toBuilder().addAppliedNodes("n1").build());
        assertThatThrownBy(() -> failures.report(report("w", 0, "n1").toBuilder().addAppliedNodes("n2").build()))
                .isInstanceOf(PlacementException.class)
                .hasMessageContaining("no replica that applied the write is LIVE any more ([n2 STALE])");
        ClusterSnapshot after = f.snapshot();
        assertThat(after.epoch()).as("nothing changed").isEqualTo(epoch);
        assertThat(PlacementEdits.state(after.table("w").orElseThrow(), 0, "n1")).isEqualTo(ReplicaState.LIVE);
        assertThat(PlacementEdits.state(after.table("w").orElseThrow(), 0, "n2")).isEqualTo(ReplicaState.STALE);
    }

    @Test
    void theAnswerWaitsForTheRoutersAndNamesThoseBehind() throws Exception {
        ClusterSnapshot snap = f.placed(spec("w", 1, 2));
        try (RouterRegistry router = RouterRegistry.register(f.connection.curator(), "r1", snap.epoch())) {
            await().atMost(Duration.ofSeconds(5)).until(() -> f.routers.routers().containsKey("r1"));
            assertThatThrownBy(() -> failures.report(report("w", 0, "n1"))).isInstanceOf(TimeoutException.class)
                    .hasMessage("routers {r1=" + snap.epoch() + "} have not applied epoch " + (snap.epoch() + 1) + " within 500 ms");
            router.publishAppliedEpoch(snap.epoch() + 1);
            assertThat(failures.report(report("w", 0, "n1"))).isEqualTo(snap.epoch() + 1);
        }
    }

    @Test
    void aReportNamingNoReplicaIsRefused() throws Exception {
        f.placed(spec("w", 2, 1));
        assertThatThrownBy(() -> failures.report(report("nope", 0, "n1"))).isInstanceOf(NoSuchTableException.class);
        assertThatThrownBy(() -> failures.report(report("w", 2, "n1"))).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("table w has no shard 2");
        String other = f.snapshot().shard("w", 0).getReplicas(0).getNodeId().equals("n1") ? "n2" : "n1";
        assertThatThrownBy(() -> failures.report(report("w", 0, other))).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("shard w/0 has no replica on node " + other);
    }
}
