package io.rayforce.cluster.router.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rayforce.cluster.client.ClientOptions;
import io.rayforce.cluster.client.rayfall.RayfallReader;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.store.TableLock;
import io.rayforce.cluster.coordinator.testing.TestZooKeeper;
import io.rayforce.cluster.router.ZooKeeperPlacement;
import io.rayforce.cluster.router.exec.NodeConnections;
import io.rayforce.cluster.router.services.ClusterServices;
import io.rayforce.cluster.router.services.CoordinatorClient;
import io.rayforce.cluster.router.services.CoordinatorDirectory;
import io.rayforce.cluster.router.testing.SameAnswer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;

/**
 * The crash window a short router session opens, closed by the write fence, on the real parts: a
 * writer whose ZooKeeper session ended while it lived (a long pause, a partition) has lost its
 * table's write lock, and another router may be recovering its write; it must send nothing more.
 * A write request is sent only while the session that took the table's write lock is proven
 * alive; without the lock, or once that session ended, the request is not sent and its replica
 * fails saying why.
 */
class WriteFenceTest {

    @Test
    void aWriterWhoseSessionEndedSendsNothingMore() throws Exception {
        try (WriteCluster c = new WriteCluster(2, 500)) {
            String rows = "(table [id v] (list (til 10) (til 10)))";
            c.client.execute("(.cluster.create 'f " + rows + " 'id 1 2)");
            c.oracle.execute("(count (set f " + rows + "))");
            try (ZooKeeperPlacement p = ZooKeeperPlacement.connect(c.zk.connectString(), c.cluster, Duration.ofSeconds(2));
                    NodeConnections connections = new NodeConnections(ClientOptions.DEFAULT, 2)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> p.snapshot().table("f").isPresent());
                CuratorFramework curator = p.connection().curator();
                ClusterServices services = new ClusterServices(curator, p.connection().liveness(),
                        new CoordinatorClient(new CoordinatorDirectory(curator, p), Duration.ofSeconds(30)));
                ReplicaWrites writes = new ReplicaWrites(connections, t -> services.writeFence().beforeSend(t));
                ClusterSnapshot snapshot = p.snapshot();
                RayValue count = RayfallReader.read("(count f__0)");
                RayValue insert = RayfallReader.read("(count (insert 'f__0 (table [id v __seq] (list [77] [7] [900]))))");

                ShardOutcome unlocked = writes.write(snapshot, "f", 0, List.of(count), 5_000).get(10, TimeUnit.SECONDS);
                assertThat(unlocked.anyApplied()).as("sent without the table's write lock").isFalse();
                assertThat(unlocked.replicas()).allSatisfy(r -> assertThat(r.failure()).contains("holds no write lock of table f"));

                TableLock lock = services.lockTable("f", Duration.ofSeconds(10), "test");
                ShardOutcome locked = writes.write(snapshot, "f", 0, List.of(count), 5_000).get(10, TimeUnit.SECONDS);
                assertThat(locked.applied()).as("sent under the lock").hasSize(2);

                // the session ends while the writer lives on (as after a pause); the proof it had runs out
                long session = p.connection().liveness().sessionId();
                TestZooKeeper.expireSession(curator, c.zk.connectString()); // as its expiry would: its locks go
                await().atMost(Duration.ofSeconds(10)).until(() -> !p.connection().liveness().provenAlive(session));
                ShardOutcome fenced = writes.write(snapshot, "f", 0, List.of(insert), 5_000).get(20, TimeUnit.SECONDS);
                assertThat(fenced.anyApplied()).as("sent after the session that held the lock ended").isFalse();
                assertThat(fenced.replicas()).allSatisfy(r -> {
                    assertThat(r.failure()).contains("not sent").contains("write lock of table f ended");
                    assertThat(r.uncertain()).as("nothing of it was sent").isFalse();
                });
                lock.close();
                SameAnswer.assertSame("f: the fenced insert never reached an engine", c.oracle.execute("f"),
                        c.client.execute("f"));
                services.close();
            }
        }
    }
}
