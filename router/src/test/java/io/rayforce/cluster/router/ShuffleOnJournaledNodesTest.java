package io.rayforce.cluster.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.engine.NativeServer;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.coordinator.meta.ClusterNaming;
import io.rayforce.cluster.node.NodeAgent;
import io.rayforce.cluster.router.gateway.GatewayOptions;
import io.rayforce.cluster.router.testing.JournaledCluster;
import io.rayforce.cluster.router.testing.SameAnswer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Shuffles on nodes run by their agents, engines journaling: a shuffled join through the gateway
 * answers as one server and leaves no temporary on any engine; a temporary a router left behind
 * (it died mid-query) does not come back when its engine restarts from its journal, whether it
 * was written restricted (as routers write them) or not, while the shards do.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShuffleOnJournaledNodesTest {
    private static final String A = "(table [id k v] (list (til 3000) (% (* 7 (til 3000)) 101) (* 0.5 (til 3000))))";
    private static final String B = "(table [k w] (list (% (til 500) 131) (til 500)))";
    private JournaledCluster cluster;
    private NativeServer oracleServer;
    private TCPClient oracle;

    @BeforeAll
    void start() {
        cluster = new JournaledCluster(2, GatewayOptions.DEFAULT);
        cluster.router().execute("(.cluster.create 'a " + A + " 'id 3 1)");
        cluster.router().execute("(.cluster.create 'b " + B + " 'k 2 1)");
        oracleServer = NativeServer.startOnFreePort();
        oracle = new TCPClient(oracleServer.host(), oracleServer.port());
        oracle.execute("(count (set a " + A + "))");
        oracle.execute("(count (set b " + B + "))");
    }

    @AfterAll
    void stop() {
        oracle.close();
        oracleServer.close();
        cluster.close();
    }

    private List<String> temporaries(NodeAgent n) {
        return ((SymbolVector) n.engine().client().executeReadOnly("(key (env 0))")).toList().stream()
                .filter(ClusterNaming::isTemporaryGlobal).toList();
    }

    /** The node's shard tables, whole. */
    private static java.util.Map<String, RayValue> shards(NodeAgent n) {
        java.util.Map<String, RayValue> out = new java.util.TreeMap<>();
        for (String g : ((SymbolVector) n.engine().client().executeReadOnly("(key (env 0))")).toList()) {
            if (ClusterNaming.parseShardGlobal(g) != null) {
                out.put(g, n.engine().client().executeReadOnly(g));
            }
        }
        return out;
    }

    @Test
    void aShuffledJoinThroughTheGatewayLeavesNoTemporary() {
        String q = "(full-join [k] (select {k: k id: id from: a where: (< id 2000)}) b)";
        assertThat(cluster.router().explain(q)).contains("shuffled");
        RayValue expected = oracle.execute(q);
        try (TCPClient c = cluster.connect()) {
            SameAnswer.assertSame(q, expected, c.execute(q));
        }
        for (NodeAgent n : cluster.nodes()) {
            assertThat(temporaries(n)).as(n.nodeId()).isEmpty();
        }
    }

    @Test
    void aTemporaryLeftBehindDoesNotComeBackAtARestart() {
        NodeAgent n = cluster.nodes().get(0);
        String restricted = ClusterNaming.temporaryGlobal("00000000000000aa", "l0");
        String plain = ClusterNaming.temporaryGlobal("00000000000000aa", "r0");
        n.engine().client().executeReadOnly("(count (set '" + restricted + " (table [k] (list [1 2 3]))))");
        n.engine().client().execute("(count (set '" + plain + " (table [k] (list [4 5]))))");
        assertThat(temporaries(n)).containsExactlyInAnyOrder(restricted, plain);
        java.util.Map<String, RayValue> shards = shards(n);
        assertThat(shards).isNotEmpty();

        long pid = n.engine().status().pid();
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        await().atMost(Duration.ofSeconds(60)).until(() -> n.engine().status().up() && n.engine().status().pid() != pid);

        assertThat(temporaries(n)).isEmpty();
        assertThat(shards(n)).isEqualTo(shards);
        assertThat(n.engine().quarantinedEntries()).isZero();
    }
}
