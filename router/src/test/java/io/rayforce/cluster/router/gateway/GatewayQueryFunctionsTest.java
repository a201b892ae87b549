package io.rayforce.cluster.router.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.value.BoolAtom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Str;
import io.rayforce.cluster.client.value.SymbolVector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The gateway functions about queries, called as any client calls them, through a real gateway
 * in front of real engines: {@code .cluster.explain}, {@code .cluster.queries},
 * {@code .cluster.cancel} and {@code .cluster.slowlog}, with this project's Java
 * {@code TCPClient} and with rayforce-py's. A read-only user sees only their own queries.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayQueryFunctionsTest {
    /** A query of the one-shard table {@code big}, whose engine the tests stop (SIGSTOP) to hold it running. */
    private static final String SLOW = "(count (select {n: (count px) by: [id px] from: big}))";
    private static final String GROUP_BY = "(select {n: (count px) s: (sum qty) by: sym from: trades})";

    private Path users;
    private GatewayFixture cluster;

    @BeforeAll
    void start() throws Exception {
        users = Files.createTempFile("gateway-users", ".txt");
        UsersFile.empty().with("alice", UsersFile.Role.READ_WRITE, bytes("alice-pw"), 4)
                .with("bob", UsersFile.Role.READ_ONLY, bytes("bob-pw"), 4).write(users);
        cluster = new GatewayFixture(2, GatewayOptions.DEFAULT.withUsersFile(users));
        cluster.cluster().queryLog().slowAfter(Duration.ZERO); // every query goes to the slow log
        cluster.shards().createTable("trades", "sym", 4, 2, "sym:symbol", "px:f64", "qty:i64");
        cluster.shards().insert("trades", (RayTable) cluster.shards().oracle().execute(
                "(table [sym px qty] (list [A B C A B D E A] [1.0 2.0 3.0 4.0 5.0 6.0 7.0 8.0] [1 2 3 4 5 6 7 8]))"));
        cluster.shards().createTable("big", "id", 1, 1, "id:i64", "px:f64");
        cluster.shards().node(0).execute("(count (set big__0 (table [id px __seq] (list (til 1000) (as 'F64 (til 1000)) "
                + "(til 1000)))))");
    }

    @AfterAll
    void stop() throws Exception {
        cluster.close();
        Files.deleteIfExists(users);
    }

    private TCPClient alice() {
        return new TCPClient("127.0.0.1", cluster.port(), "alice", "alice-pw");
    }

    @Test
    void explainShowsThePlanTreeAndWhatEachShardSendsWithoutRunningIt() {
        try (TCPClient c = alice()) {
            String plan = ((Str) c.execute("(.cluster.explain \"" + GROUP_BY + "\")")).value();
            assertThat(plan).contains("GroupCombine by [sym]").contains("Route trades shards 0-3: (select {n: (count px)")
                    .doesNotContain("moved");
        }
        String py = PythonClient.run("127.0.0.1", cluster.port(), "alice-pw",
                "print(str(c.execute('(.cluster.explain \"" + GROUP_BY + "\")')))");
        assertThat(py).contains("GroupCombine by [sym]").contains("Route trades shards 0-3");
        // explaining sent nothing to the shards
        assertThat(cluster.cluster().queryLog().slow()).filteredOn(q -> q.text().equals("(.cluster.explain \"" + GROUP_BY + "\")"))
                .hasSize(2).allSatisfy(q -> assertThat(q.shardRequests()).isZero());
    }

    @Test
    void explainAnalyzeRunsTheReadAndSaysWhatMoved() {
        try (TCPClient c = alice()) {
            String plan = ((Str) c.execute("(.cluster.explain \"" + GROUP_BY + "\" 'analyze)")).value();
            assertThat(plan).contains("GroupCombine").containsPattern("Route trades shards 0-3: .*\\[moved \\d+ rows, \\d+ bytes]")
                    .containsPattern("ran in \\d+ ms at epoch \\d+: answer of 5 rows, 4 shard requests");
            assertThatThrownBy(() -> c.execute("(.cluster.explain \"(insert 'trades (list 'Z 1.0 1))\" 'analyze)"))
                    .isInstanceOfSatisfying(RayforceEvaluationError.class, e -> assertThat(e.code()).isEqualTo("nyi"));
            assertThat(((Str) c.execute("(.cluster.lastError)")).value()).contains("runs reads only");
            assertThatThrownBy(() -> c.execute("(.cluster.explain 42)"))
                    .isInstanceOfSatisfying(RayforceEvaluationError.class, e -> assertThat(e.code()).isEqualTo("nyi"));
            assertThat(((Str) c.execute("(.cluster.lastError)")).value()).contains("expected the query as a string");
        }
        String py = PythonClient.run("127.0.0.1", cluster.port(), "alice-pw",
                "print(str(c.execute('''(.cluster.explain \"" + GROUP_BY + "\" 'analyze)''')))");
        assertThat(py).containsPattern("\\[moved \\d+ rows, \\d+ bytes]").contains("ran in");
    }

    @Test
    void theSlowLogHoldsQueriesWithTheirPlansAndTimings() {
        try (TCPClient c = alice()) {
            c.execute(GROUP_BY);
            RayTable log = (RayTable) c.execute("(.cluster.slowlog)");
            int row = rowOf(log, GROUP_BY);
            assertThat(row).as("the group-by is in the slow log").isNotNegative();
            assertThat(((SymbolVector) log.column("user")).get(row)).isEqualTo("alice");
            assertThat(((SymbolVector) log.column("outcome")).get(row)).isEqualTo("ok");
            assertThat(((I64Vector) log.column("rows")).get(row)).isEqualTo(5);
            assertThat(((I64Vector) log.column("shardRequests")).get(row)).isEqualTo(4);
            assertThat(text(log, "plan", row)).contains("GroupCombine").contains("[moved ");
            assertThat(log.columnNames()).containsExactly("id", "user", "query", "started", "ms", "outcome", "rows", "lockWaitMs",
                    "shardRequests", "slowestShardMs", "plan");
        }
        // rayforce-py: a failed query is in the slow log with its error code
        String py = PythonClient.run("127.0.0.1", cluster.port(), "alice-pw",
                "try:",
                "    c.execute('(select {from: trades where: (> nosuchcolumn 1)})')",
                "except Exception as e:",
                "    print('failed', type(e).__name__)",
                "log = c.execute('(.cluster.slowlog)').to_dict()",
                "i = [str(q) for q in log['query']].index('(select {from: trades where: (> nosuchcolumn 1)})')",
                "print('outcome', log['outcome'][i], 'user', log['user'][i], 'plan', str(log['plan'][i]))");
        assertThat(py).contains("failed").contains("outcome schema user alice");
    }

    @Test
    void aRunningQueryIsListedWithItsPendingShardAndCancelledByIdFromRayforcePy() throws Exception {
        try (TCPClient c = alice(); StoppedEngine held = new StoppedEngine()) {
            CompletableFuture<RayValue> slow = c.submit(SLOW);
            long id = awaitRunning(SLOW);
            String py = PythonClient.run("127.0.0.1", cluster.port(), "alice-pw",
                    "qs = c.execute('(.cluster.queries)').to_dict()",
                    "i = [int(x) for x in qs['id']].index(" + id + ")",
                    "print('listed', str(qs['query'][i]), 'pending', qs['shardsPending'][i], 'on', str(qs['waitingOn'][i]),"
                            + " 'user', qs['user'][i])",
                    "print('cancelled', c.execute('(.cluster.cancel " + id + ")'))");
            assertThat(py).contains("listed " + SLOW + " pending 1 on big/0 user alice").contains("cancelled True");
            assertThatThrownBy(() -> slow.get(60, TimeUnit.SECONDS)).cause()
                    .isInstanceOfSatisfying(RayforceEvaluationError.class, e -> assertThat(e.code()).isEqualTo("cancel"));
            assertThat(((Str) c.execute("(.cluster.lastError)")).value()).contains("(.cluster.cancel " + id + ")");
            assertThat(cluster.cluster().queryLog().find(id)).isEmpty();
        }
    }

    @Test
    void cancelWithTheJavaClientAndUnknownIds() throws Exception {
        try (TCPClient c = alice(); TCPClient operator = alice(); StoppedEngine held = new StoppedEngine()) {
            CompletableFuture<RayValue> slow = c.submit(SLOW);
            long id = awaitRunning(SLOW);
            RayTable running = (RayTable) operator.execute("(.cluster.queries)");
            int row = rowOf(running, SLOW);
            assertThat(((I64Vector) running.column("shardsPending")).get(row)).isEqualTo(1);
            assertThat(((I64Vector) running.column("elapsedMs")).get(row)).isNotNegative();
            assertThat(operator.execute("(.cluster.cancel " + id + ")")).isEqualTo(BoolAtom.TRUE);
            assertThatThrownBy(() -> slow.get(60, TimeUnit.SECONDS)).cause()
                    .isInstanceOfSatisfying(RayforceEvaluationError.class, e -> assertThat(e.code()).isEqualTo("cancel"));
            assertThat(operator.execute("(.cluster.cancel " + id + ")")).as("no longer running").isEqualTo(BoolAtom.FALSE);
            assertThat(operator.execute("(.cluster.cancel 987654321)")).isEqualTo(BoolAtom.FALSE);
            assertThatThrownBy(() -> operator.execute("(.cluster.cancel 'x)"))
                    .isInstanceOfSatisfying(RayforceEvaluationError.class, e -> assertThat(e.code()).isEqualTo("nyi"));
        }
    }

    @Test
    void aReadOnlyUserSeesOnlyTheirOwnQueriesAndCannotCancel() throws Exception {
        try (TCPClient a = alice(); TCPClient operator = alice();
             TCPClient bob = new TCPClient("127.0.0.1", cluster.port(), "bob", "bob-pw")) {
            a.execute("(count trades)");
            bob.execute("(select {from: trades where: (== sym 'A)})");
            CompletableFuture<RayValue> slow;
            try (StoppedEngine held = new StoppedEngine()) {
                slow = a.submit(SLOW);
                long id = awaitRunning(SLOW);
                readOnlyChecks(bob, id);
                assertThat(operator.execute("(.cluster.cancel " + id + ")")).isEqualTo(BoolAtom.TRUE);
            }
            assertThatThrownBy(() -> slow.get(60, TimeUnit.SECONDS)).cause().isInstanceOf(RayforceEvaluationError.class);
        }
    }

    /** What bob, a read-only user, may see and do while alice's query {@code id} runs. */
    private static void readOnlyChecks(TCPClient bob, long id) {
        RayTable seen = (RayTable) bob.execute("(.cluster.queries)");
        assertThat(((SymbolVector) seen.column("user")).toList()).containsOnly("bob");
        RayTable slowLog = (RayTable) bob.execute("(.cluster.slowlog)");
        assertThat(((SymbolVector) slowLog.column("user")).toList()).isNotEmpty().containsOnly("bob");
        assertThat(((Str) bob.execute("(.cluster.explain \"(count trades)\")")).value()).isNotEmpty();
        assertThatThrownBy(() -> bob.execute("(.cluster.cancel " + id + ")"))
                .isInstanceOfSatisfying(RayforceEvaluationError.class, e -> assertThat(e.code()).isEqualTo("access"));
    }

    /** Holds the engine of node 0 (which holds {@code big}) stopped, so a query of {@code big} stays running. */
    private final class StoppedEngine implements AutoCloseable {
        private final long pid = cluster.shards().nodes().get(0).pid();

        StoppedEngine() throws Exception {
            signal("STOP");
        }

        private void signal(String sig) throws Exception {
            assertThat(new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).start().waitFor()).isZero();
        }

        @Override
        public void close() throws Exception {
            signal("CONT");
        }
    }

    /** Waits until {@code text} runs and its shard request is out; returns its id. */
    private long awaitRunning(String text) {
        long[] id = {-1};
        await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(20)).until(() -> cluster.cluster().queryLog().running()
                .stream().filter(q -> q.text().equals(text) && !q.pendingUnits().isEmpty()).findFirst().map(q -> {
                    id[0] = q.id();
                    return true;
                }).orElse(false));
        return id[0];
    }

    /** The row of {@code table} whose query column is {@code text} (the newest), or -1. */
    private static int rowOf(RayTable table, String text) {
        RayList q = (RayList) table.column("query");
        for (int i = 0; i < q.length(); i++) {
            if (((Str) q.get(i)).value().equals(text)) {
                return i;
            }
        }
        return -1;
    }

    private static String text(RayTable table, String column, int row) {
        return ((Str) ((RayList) table.column(column)).get(row)).value();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
