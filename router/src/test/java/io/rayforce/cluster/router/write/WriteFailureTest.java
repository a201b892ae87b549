package io.rayforce.cluster.router.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.coordinator.meta.ShardFunction;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.server.Coordinator;
import io.rayforce.cluster.coordinator.server.CoordinatorConfig;
import io.rayforce.cluster.coordinator.store.EmbeddedZooKeeper;
import io.rayforce.cluster.node.testing.NodeProcess;
import io.rayforce.cluster.router.ClusterClient;
import io.rayforce.cluster.router.QueryOptions;
import io.rayforce.cluster.router.QueryResult;
import io.rayforce.cluster.router.ZooKeeperPlacement;
import io.rayforce.cluster.router.exec.MissingShardsError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes to a shard whose only replica is gone (replication 1, its node killed with SIGKILL):
 * they fail naming the shard and the reason, an insert that reached the other shard is taken
 * back there (nothing of it stays), writes that touch only the surviving shard still succeed,
 * and reads of the lost shard fail naming it.
 */
class WriteFailureTest {
    @TempDir
    Path dir;

    @Test
    void writesToALostShardFailSayingWhyAndLeaveNothingBehind() throws Exception {
        String cluster = "failure";
        List<NodeProcess> nodes = new ArrayList<>();
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start();
             Coordinator coordinator = Coordinator.start(CoordinatorConfig.defaults(zk.connectString()).withCluster(cluster)
                     .withRepairGrace(Duration.ofMinutes(10)).withSessionTimeout(Duration.ofSeconds(6)))) {
            for (int i = 0; i < 2; i++) {
                nodes.add(NodeProcess.start(zk.connectString(), cluster, "n" + i, Files.createDirectories(dir.resolve("n" + i)),
                        Duration.ofSeconds(3)));
            }
            try (ClusterClient client = ClusterClient.connect(zk.connectString(), cluster)) {
                ZooKeeperPlacement placement = (ZooKeeperPlacement) client.placement();
                await().atMost(Duration.ofSeconds(30)).until(() -> placement.snapshot().nodes().size() == 2 && coordinator.isLeader());
                client.execute("(.cluster.create 'kv (table [k v] (list (as 'I64 []) (as 'I64 []))) 'k 2 1)");
                TablePlacement t = placement.snapshot().table("kv").orElseThrow();
                String deadNode = t.getShards(0).getReplicas(0).getNodeId();
                int deadShard = 0;
                int liveShard = 1;
                assertThat(t.getShards(1).getReplicas(0).getNodeId()).as("one shard per node").isNotEqualTo(deadNode);
                long keyOnDead = keyOn(deadShard);
                long keyOnLive = keyOn(liveShard);
                client.execute("(insert 'kv (list [" + keyOnDead + " " + keyOnLive + "] [1 1]))");

                nodes.get(Integer.parseInt(deadNode.substring(1))).kill9();

                assertThatThrownBy(() -> client.execute("(insert 'kv (list [" + keyOnLive + " " + keyOnDead + "] [2 2]))"))
                        .isInstanceOf(WriteFailedError.class)
                        .hasMessageContaining("no replica of shard 0 of kv applied it")
                        .hasMessageContaining(deadNode)
                        .hasMessageContaining("were removed again, so nothing was written");
                assertThatThrownBy(() -> client.execute("(upsert 'kv 1 (list " + keyOnDead + " 3))"))
                        .hasMessageContaining("shard 0 of kv");
                assertThatThrownBy(() -> client.execute("(update {v: 9 from: 'kv})")).hasMessageContaining("shard 0 of kv");
                assertThatThrownBy(() -> client.execute("kv")).isInstanceOf(MissingShardsError.class)
                        .hasMessageContaining("shard 0 of kv");

                // the surviving shard: the rolled-back row is gone, and writes to it alone succeed
                QueryResult partial = client.query("kv", QueryOptions.DEFAULT.allowingPartialResults());
                assertThat(((RayTable) partial.value()).rowCount()).isEqualTo(1);
                assertThat(partial.missing()).hasSize(1);
                client.execute("(insert 'kv (list " + keyOnLive + " 4))");
                client.execute("(upsert 'kv 1 (list " + keyOnLive + " 5))");
                assertThat(((RayTable) client.execute("(select {v: v from: kv where: (== k " + keyOnLive + ")})")).column("v"))
                        .as("the upsert changed the first row; the inserted row follows; the rolled-back 2 is gone")
                        .isEqualTo(I64Vector.of(5, 4));
                assertThat(((RayTable) client.query("kv", QueryOptions.DEFAULT.allowingPartialResults()).value()).rowCount())
                        .isEqualTo(2);
                assertThat(((RayTable) client.execute("(select {n: (count k) from: kv where: (== k " + keyOnLive + ")})"))
                        .column("n").at(0)).isEqualTo(I64Atom.of(2));
            }
        } finally {
            nodes.forEach(NodeProcess::close);
        }
    }

    /** A key that the shard function puts on {@code shard} of 2. */
    private static long keyOn(int shard) {
        for (long k = 1; ; k++) {
            if (ShardFunction.shardOf(I64Atom.of(k), 2) == shard) {
                return k;
            }
        }
    }

}
