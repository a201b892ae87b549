package io.rayforce.cluster.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rayforce.cluster.coordinator.server.Coordinator;
import io.rayforce.cluster.coordinator.testing.TestCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code rfc status}, {@code rfc table create|drop|describe|set-replication|reshard} and
 * {@code rfc rebalance} against a real coordinator on loopback gRPC, with in-memory node agents
 * registered in a real ZooKeeper.
 */
class AdminCommandsTest {
    private static TestCluster cluster;
    private static Coordinator coordinator;
    private static String address;

    @BeforeAll
    static void start() {
        cluster = new TestCluster(Duration.ofSeconds(30));
        coordinator = cluster.startCoordinator();
        for (String id : List.of("n1", "n2", "n3")) {
            cluster.startNode(id);
        }
        address = coordinator.address();
        await().atMost(Duration.ofSeconds(10)).until(() -> coordinator.isLeader() && coordinator.view().snapshot().nodes().size() == 3);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    /** Runs {@code rfc args...} in this JVM; returns stdout and stderr together. */
    static String run(int expectedExit, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        try (PrintStream p = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            System.setOut(p);
            System.setErr(p);
            var cl = Rfc.commandLine();
            cl.setOut(new PrintWriter(p, true));
            cl.setErr(new PrintWriter(p, true));
            int exit = cl.execute(args);
            p.flush();
            assertThat(exit).as("exit code of rfc %s; output:%n%s", String.join(" ", args), out.toString(StandardCharsets.UTF_8))
                    .isEqualTo(expectedExit);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void everyCommandHasHelp() {
        assertThat(run(0, "--help")).contains("coordinator", "zookeeper", "status", "table", "rebalance");
        assertThat(run(0, "coordinator", "--help")).contains("--zookeeper", "--embedded-zookeeper", "--zookeeper-port",
                "--zookeeper-data", "--cluster", "--port", "--host", "--repair-grace", "--session-timeout");
        assertThat(run(0, "zookeeper", "--help")).contains("--port", "--data");
        assertThat(run(0, "status", "--help")).contains("--coordinator", "--json");
        assertThat(run(0, "table", "--help")).contains("create", "drop", "describe", "set-replication", "reshard");
        assertThat(run(0, "table", "set-replication", "--help")).contains("--wait");
        assertThat(run(0, "table", "reshard", "--help")).contains("--shards");
        assertThat(run(0, "table", "create", "--help")).contains("--columns", "--shard-key", "--shards", "--replication",
                "--replicated", "--if-not-exists", "--coordinator");
        assertThat(run(0, "table", "drop", "--help")).contains("--if-exists");
        assertThat(run(0, "table", "describe", "--help")).contains("--json");
        assertThat(run(0, "rebalance", "--help")).contains("--dry-run", "--wait");
    }

    @Test
    void createDescribeStatusAndDropATable() {
        String created = run(0, "table", "create", "trades", "--columns", "id:i64,sym:symbol,px:f64", "--shard-key", "sym",
                "--shards", "4", "--replication", "2", "--coordinator", address);
        assertThat(created).contains("table trades at epoch", "4 shards x 2, shard key sym", "8 (8 LIVE)",
                "columns: id:i64 sym:symbol px:f64");
        assertThat(created.lines().filter(l -> l.matches("\\s+\\d+\\s+.*"))).hasSize(4);

        String described = run(0, "table", "describe", "trades", "--coordinator", address);
        assertThat(described).contains("trades: 4 shards x 2").containsPattern("\\s+3\\s+ n\\d LIVE n\\d LIVE");
        assertThat(run(0, "table", "describe", "trades", "--json", "--coordinator", address))
                .contains("\"name\": \"trades\"", "\"shardKey\": \"sym\"", "\"state\": \"LIVE\"");

        String status = run(0, "status", "--coordinator", address);
        assertThat(status).contains("leader " + address, "tables (").containsPattern("nodes \\([34] live\\)");
        assertThat(status).containsPattern("n1\\s+live\\s+127\\.0\\.0\\.1");
        assertThat(status).contains("trades: 4 shards x 2");
        assertThat(run(0, "status", "--json", "--coordinator", address)).contains("\"leader\": \"" + address + "\"", "\"trades\"");

        assertThat(run(0, "table", "drop", "trades", "--coordinator", address)).contains("dropped table trades at epoch");
        assertThat(run(0, "table", "drop", "trades", "--if-exists", "--coordinator", address)).contains("no table trades");
    }

    @Test
    void setReplicationAndARefusedReshard() {
        run(0, "table", "create", "quotes", "--columns", "id:i64,sym:symbol", "--shard-key", "sym", "--shards", "2",
                "--replication", "2", "--coordinator", address);
        assertThat(run(0, "table", "set-replication", "quotes", "1", "--wait", "--coordinator", address))
                .containsPattern("table quotes: replication 1 at epoch \\d+, 2 replica\\(s\\) retired\n");
        assertThat(run(0, "table", "describe", "quotes", "--coordinator", address)).contains("quotes: 2 shards x 1");
        assertThat(run(0, "table", "set-replication", "quotes", "1", "--coordinator", address)).contains("(unchanged)");
        assertThat(run(1, "table", "reshard", "quotes", "--shards", "3", "--coordinator", address))
                .startsWith("reshard quotes failed: ").doesNotContain("Exception");
        run(0, "table", "drop", "quotes", "--coordinator", address);
    }

    @Test
    void aReplicatedTableAndStatusMarksReplicasThatAreNotLive() {
        assertThat(run(0, "table", "create", "venues", "--columns", "venue:symbol,name:string", "--replicated",
                "--coordinator", address)).contains("replicated to every node", "3 (3 LIVE)");
        cluster.node("n3").leave();
        await().atMost(Duration.ofSeconds(10)).until(() -> run(0, "status", "--coordinator", address).contains("n3 DOWN!"));
        String status = run(0, "status", "--coordinator", address);
        assertThat(status).containsPattern("n3\\s+gone").containsPattern("nodes \\([23] live\\)");
        cluster.startNode("n3");
        await().atMost(Duration.ofSeconds(10)).until(() -> !run(0, "status", "--coordinator", address).contains("!"));
    }

    @Test
    void userErrorsAreOneClearLineAndANonZeroExit() {
        assertThat(run(1, "table", "describe", "nosuch", "--coordinator", address))
                .isEqualTo("describe table nosuch failed: NOT_FOUND: no table nosuch\n");
        assertThat(run(1, "table", "create", "bad", "--columns", "id:i64,px:float", "--shard-key", "id", "--coordinator", address))
                .contains("create table bad failed: INVALID_ARGUMENT: spec.columns[1].type: unknown type 'float'")
                .doesNotContain("Exception", "\tat ");
        assertThat(run(1, "table", "create", "wide", "--columns", "id:i64", "--shard-key", "id", "--replication", "9",
                "--coordinator", address)).containsPattern("FAILED_PRECONDITION: replication factor 9 exceeds the [34] nodes");
        assertThat(run(1, "table", "create", "t1", "--columns", "id:i64", "--shard-key", "nope", "--coordinator", address))
                .contains("INVALID_ARGUMENT: spec.shard_key: shard key 'nope' is not a column of t1");
        assertThat(run(1, "status", "--coordinator", "127.0.0.1:1", "--timeout", "5s")).contains("status failed: UNAVAILABLE");
        assertThat(run(1, "status", "--coordinator", "nonsense")).contains("invalid --coordinator 'nonsense': use HOST:PORT");
        assertThat(run(2, "table", "create", "t2", "--columns", "id", "--shard-key", "id", "--coordinator", address))
                .contains("invalid column 'id' in --columns: use NAME:TYPE");
        assertThat(run(2, "table", "create", "t3", "--columns", "id:i64", "--coordinator", address))
                .contains("Missing required argument");
        assertThat(run(2, "table", "create", "t4", "--columns", "id:i64", "--replicated", "--shard-key", "id", "--coordinator", address))
                .contains("mutually exclusive");
    }

    @Test
    void rebalanceShowsAndMakesMoves() {
        run(0, "table", "create", "ticks", "--columns", "id:i64", "--shard-key", "id", "--shards", "6", "--replication", "1",
                "--coordinator", address);
        assertThat(run(0, "rebalance", "--dry-run", "--coordinator", address)).contains("balanced: nothing to move");
        cluster.startNode("n4");
        await().atMost(Duration.ofSeconds(10)).until(() -> coordinator.view().snapshot().nodes().size() == 4);
        String plan = run(0, "rebalance", "--dry-run", "--coordinator", address);
        assertThat(plan).contains("would move").contains("-> n4");
        assertThat(run(0, "rebalance", "--wait", "--coordinator", address)).contains("moved").contains("-> n4");
        assertThat(run(0, "rebalance", "--dry-run", "--coordinator", address)).contains("balanced: nothing to move");
    }
}
