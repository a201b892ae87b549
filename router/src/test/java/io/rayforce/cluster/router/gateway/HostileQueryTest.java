package io.rayforce.cluster.router.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Str;
import io.rayforce.cluster.node.NodeAgent;
import io.rayforce.cluster.router.QueryOptions;
import io.rayforce.cluster.router.QueryResult;
import io.rayforce.cluster.router.testing.JournaledCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * No query can make an engine do anything but compute (issue 11; docs/security.md, the data-path
 * rule). A corpus of hostile queries, each refused builtin in every position a query has, goes
 * through the gateway (Java and rayforce-py clients) and through {@code ClusterClient} to a real
 * cluster whose engines journal what they receive: each is answered {@code access}, no engine
 * process ends or restarts, no file is created, no journal receives it, and the canary query
 * answers the same throughout. Afterwards every engine is killed and comes back from its journal
 * with all its data.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileQueryTest {
    private static JournaledCluster cluster;

    /** What each hostile payload calls; {@code %m} is the case's marker, {@code %f} a file the payload would create. */
    static final List<String> PAYLOADS = List.of(
            "(exit (count \"%m\"))",
            "(.sys.exec \"touch %f\")",
            "(.os.getenv \"%m\")",
            "(.fs.list \"/%m\")",
            "(read-csv [I64] \"%f\")",
            "(.csv.write (table [a] (list [1])) \"%f\")",
            "(eval (parse \"(exit (count \\\"%m\\\"))\"))",
            "('exit (count \"%m\"))",
            "((first [exit]) (count \"%m\"))",
            "((as 'sym \"exit\") (count \"%m\"))",
            "(do (let p \"%f\") p.read)",
            "(env (count \"%m\"))",
            "(.ipc.open \"127.0.0.1:1:%m\")",
            "(.log.snapshot \"%m\")",
            "(set hostile (count \"%m\"))",
            "(load \"%f\")",
            "(.sys.info \"%m\")",
            "((resolve (as 'sym \"exit\")) (count \"%m\"))");

    /** Every position a query has; {@code %p} is where the payload goes. */
    static final List<String> POSITIONS = List.of(
            "%p",
            "(select {x: %p from: trades})",
            "(select {from: trades where: (== %p 1)})",
            "(select {n: (count px) by: {k: %p} from: trades})",
            "(update {px: %p from: 'trades})",
            "(delete {from: 'trades where: (== %p 1)})",
            "(left-join [sym] trades (select {sym: sym x: %p from: venues}))",
            "(select {from: (select {x: %p from: trades})})",
            "(count (select {x: %p from: trades}))",
            "(map (fn [y] %p) [1 2])",
            "(fold (fn [a b] %p) [1 2 3])",
            "(select {x: ((fn [y] %p) px) from: trades})",
            "(select {x: (sum %p) by: sym from: trades where: (> px 1.0)})");

    @BeforeAll
    static void start() {
        cluster = new JournaledCluster(2, GatewayOptions.DEFAULT);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** The corpus: every payload in every position, each with its own marker. */
    static Map<String, String> corpus() {
        Map<String, String> out = new LinkedHashMap<>();
        int n = 0;
        for (String position : POSITIONS) {
            for (String payload : PAYLOADS) {
                if (position.equals("%p") && payload.startsWith("(set ")) {
                    continue; // a top-level set is an ipcsave: a statement, not a hostile call
                }
                String marker = "hostile-" + (++n);
                Path file = cluster.scratchDir().resolve(marker);
                out.put(marker, position.replace("%p", payload.replace("%m", marker).replace("%f", file.toString())));
            }
        }
        return out;
    }

    @Test
    @Order(1)
    void everyHostileQueryIsRefusedAndNothingReachesAnEngine() {
        Map<String, String> corpus = corpus();
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(60);
        RayValue canary = cluster.canary();
        List<String> engines = cluster.engines();
        List<String> wrong = new ArrayList<>();
        try (TCPClient gateway = cluster.connect()) {
            for (Map.Entry<String, String> c : corpus.entrySet()) {
                for (String via : List.of("gateway", "router")) {
                    long[] before = cluster.journalLengths();
                    try {
                        RayValue v = via.equals("gateway") ? gateway.execute(c.getValue()) : cluster.router().execute(c.getValue());
                        wrong.add(via + " answered " + c.getValue() + " with " + v);
                    } catch (RayforceEvaluationError e) {
                        // the wire carries the code; the gateway keeps the full text for (.cluster.lastError)
                        String text = via.equals("gateway") ? ((Str) gateway.execute("(.cluster.lastError)")).value() : e.getMessage();
                        if (!e.code().equals("access") || !text.contains("the cluster does not run '")) {
                            wrong.add(via + " refused " + c.getValue() + " with " + e.code() + ": " + text);
                        }
                    }
                    if (cluster.journalsReceived(before, c.getKey())) {
                        wrong.add(via + ": a journal received " + c.getValue());
                    }
                }
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(createdFiles()).isEmpty();
        assertThat(cluster.engines()).isEqualTo(engines);
        assertThat(cluster.canary()).isEqualTo(canary);
    }

    @Test
    @Order(2)
    void rayforcePyGetsTheSameRefusals() {
        Map<String, String> corpus = corpus();
        List<String> lines = new ArrayList<>();
        lines.add("cases = [");
        corpus.values().forEach(q -> lines.add("    " + pyString(q) + ","));
        lines.add("]");
        lines.add("for q in cases:");
        lines.add("    try:");
        lines.add("        r = c.execute(q)");
        lines.add("        print('ANSWERED', q)");
        lines.add("    except Exception as e:");
        lines.add("        print('REFUSED', type(e).__name__, str(e).replace('\\n', ' '))");
        RayValue canary = cluster.canary();
        List<String> engines = cluster.engines();
        String out = PythonClient.run("127.0.0.1", cluster.gatewayPort(), null, lines.toArray(new String[0]));
        List<String> answers = out.lines().filter(l -> l.startsWith("ANSWERED") || l.startsWith("REFUSED")).toList();
        assertThat(answers).as(out).hasSize(corpus.size());
        assertThat(answers).allSatisfy(l -> assertThat(l).startsWith("REFUSED").contains("access"));
        assertThat(createdFiles()).isEmpty();
        assertThat(cluster.engines()).isEqualTo(engines);
        assertThat(cluster.canary()).isEqualTo(canary);
    }

    @Test
    @Order(3)
    void aTypoedColumnAnswersTheEnginesErrorOnTheFirstTryNamingIt() {
        QueryResult[] result = new QueryResult[1];
        assertThatThrownBy(() -> result[0] = cluster.router().query("(select {from: trades where: (== sym A)})",
                QueryOptions.DEFAULT))
                .isInstanceOf(RayforceEvaluationError.class)
                .satisfies(e -> assertThat(((RayforceEvaluationError) e).code()).isEqualTo("name"))
                .hasMessageContaining("'A' is not a column of trades");
        try (TCPClient gateway = cluster.connect()) {
            // one server answers schema for an unknown column in arithmetic (name when compared with a symbol)
            assertThatThrownBy(() -> gateway.execute("(select {x: (+ px qtyy) from: trades})"))
                    .isInstanceOf(RayforceEvaluationError.class)
                    .satisfies(e -> assertThat(((RayforceEvaluationError) e).code()).isEqualTo("schema"));
            assertThat(((Str) gateway.execute("(.cluster.lastError)")).value()).contains("'qtyy'");
        }
        assertThat(cluster.router().explain("(select {from: trades where: (== sym A)})")).startsWith("UnknownName 'A' in trades");
        // no replica was taken for a bad one: the next query reads every shard as before
        assertThat(cluster.router().query(JournaledCluster.CANARY, QueryOptions.DEFAULT).complete()).isTrue();
    }

    @Test
    @Order(4)
    void everyEngineComesBackFromItsJournalWithAllItsData() {
        // an engine the supervisor found unresponsive on a loaded machine may be restarting already: start from all up
        await().atMost(Duration.ofSeconds(60)).until(() -> cluster.nodes().stream().allMatch(a -> a.engine().status().up()));
        Map<String, RayValue> before = shardContents();
        for (NodeAgent a : cluster.nodes()) {
            long pid = a.engine().status().pid();
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            await().atMost(Duration.ofSeconds(60)).until(() -> a.engine().status().up() && a.engine().status().pid() != pid);
        }
        assertThat(shardContents()).isEqualTo(before);
        assertThat(cluster.canary()).isNotNull();
    }

    /** Every shard table on every engine, read directly from the engine. */
    private static Map<String, RayValue> shardContents() {
        Map<String, RayValue> out = new LinkedHashMap<>();
        for (NodeAgent a : cluster.nodes()) {
            for (int s = 0; s < 4; s++) {
                out.put(a.nodeId() + "/trades__" + s, a.engine().client().execute("trades__" + s));
            }
        }
        return out;
    }

    private static List<Path> createdFiles() {
        try (Stream<Path> files = Files.list(cluster.scratchDir())) {
            return files.filter(p -> p.getFileName().toString().startsWith("hostile-")).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String pyString(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
