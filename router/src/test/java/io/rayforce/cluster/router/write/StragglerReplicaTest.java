package io.rayforce.cluster.router.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rayforce.cluster.client.ClientOptions;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.coordinator.proto.Replica;
import io.rayforce.cluster.coordinator.proto.ReplicaState;
import io.rayforce.cluster.coordinator.store.EmbeddedZooKeeper;
import io.rayforce.cluster.node.engine.SupervisorSettings;
import io.rayforce.cluster.router.QueryOptions;
import io.rayforce.cluster.router.testing.SameAnswer;
import io.rayforce.cluster.router.testing.Signals;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A replica that stops answering while its peers apply a write (a node cut off, or frozen) no
 * longer holds the write, and the reads behind it, until the request's timeout: after its grace
 * ({@link PeerGrace}, 2 s) it is reported STALE and the write is acknowledged. The engine is
 * frozen with SIGSTOP, and its agent restarts it only after 30 s, so the write is answered while
 * the replica is still silent, not because its connection broke.
 */
class StragglerReplicaTest {

    @Test
    void aWriteIsAcknowledgedWithoutTheFrozenReplicaWhichGoesStaleAndIsRefilled() throws Exception {
        // the agents restart an engine only after 30 s without an answer, so the frozen one is not restarted while the
        // insert waits: an insert answered with it still frozen is one the grace answered, not a broken connection
        SupervisorSettings patient = WriteCluster.FAST.withHealth(Duration.ofMillis(100), Duration.ofMillis(500),
                Duration.ofSeconds(30));
        try (WriteCluster c = new WriteCluster(2, EmbeddedZooKeeper.DEFAULT_TICK_MS, patient); Signals signals = new Signals()) {
            String rows = "(table [id v] (list (til 10) (til 10)))";
            c.client.execute("(.cluster.create 's " + rows + " 'id 2 2)");
            c.oracle.execute("(count (set s " + rows + "))");
            String first = "(insert 's (list (+ 100 (til 20)) (til 20)))";
            c.client.execute(first); // the write lease is taken
            c.oracle.execute(first);
            long frozen = c.agents.get(1).engine().status().pid();
            String second = "(insert 's (list (+ 200 (til 20)) (til 20)))"; // both shards: appended, then committed
            signals.stop(frozen);
            try {
                c.client.query(second, QueryOptions.DEFAULT.withTimeout(Duration.ofSeconds(30)));
                assertThat(c.agents.get(1).engine().status().pid()).as("answered before the frozen engine was restarted")
                        .isEqualTo(frozen);
                c.oracle.execute(second);
                List<Replica> onFrozen = c.client.placement().snapshot().table("s").orElseThrow().getShardsList().stream()
                        .flatMap(sh -> sh.getReplicasList().stream()).filter(r -> r.getNodeId().equals("n1")).toList();
                assertThat(onFrozen).extracting(Replica::getState).as("n1's replicas").doesNotContain(ReplicaState.LIVE);
                SameAnswer.assertSame("s read while n1 is frozen", c.oracle.execute("s"), c.client.execute("s"));
            } finally {
                if (ProcessHandle.of(frozen).isPresent()) { // (unless its agent restarted it meanwhile)
                    signals.cont(frozen);
                }
            }
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                    assertThat(c.client.placement().snapshot().table("s").orElseThrow().getShardsList().stream()
                            .flatMap(sh -> sh.getReplicasList().stream())).extracting(Replica::getState)
                            .containsOnly(ReplicaState.LIVE));
            SameAnswer.assertSame("s after the refill", c.oracle.execute("s"), c.client.execute("s"));
            for (int n = 0; n < 2; n++) {
                try (TCPClient engine = new TCPClient("127.0.0.1", c.agents.get(n).ipcPort(), ClientOptions.DEFAULT)) {
                    long total = 0;
                    for (int sh = 0; sh < 2; sh++) {
                        total += ((I64Atom) engine.execute("(count s__" + sh + ")")).value();
                    }
                    assertThat(total).as("rows on n%d", n).isEqualTo(50);
                }
            }
        }
    }
}
