package io.rayforce.cluster.router.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.ipc.ValueWriter;
import io.rayforce.cluster.client.value.RayError;
import io.rayforce.cluster.router.testing.ClusterAndOneServer;
import io.rayforce.cluster.router.testing.JournaledCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The differential corpus (docs/compatibility.md) through the gateway of a real cluster
 * (ZooKeeper, the coordinator, three node agents with journals) against one native server,
 * byte for byte: with a plain socket client, with the Java TCPClient and with rayforce-py's
 * TCPClient. Every case must pass except the documented exceptions ({@code @known}).
 */
class CorpusTest {
    private static ClusterAndOneServer both;
    private static JournaledCluster cluster;
    private static final Corpus CORPUS = Corpus.load();

    @BeforeAll
    static void start() {
        both = ClusterAndOneServer.start();
        cluster = both.cluster();
    }

    @AfterAll
    static void stop() {
        if (both != null) {
            both.close();
        }
    }

    @Test
    void theCorpusHasEnoughCases() {
        assertThat(CORPUS.caseCount()).isGreaterThanOrEqualTo(300);
    }

    @Test
    void byteForByteThroughAPlainSocket() throws Exception {
        try (WireClient k = new WireClient(cluster.gatewayPort()); WireClient o = new WireClient(both.oneServerPort())) {
            check("plain socket", CorpusRun.run(CORPUS, k::request, o::request));
        }
    }

    @Test
    void byteForByteThroughTheJavaClient() throws Exception {
        try (TCPClient k = cluster.connect(); TCPClient o = new TCPClient("127.0.0.1", both.oneServerPort())) {
            check("java client", CorpusRun.run(CORPUS, s -> answer(k, s), s -> answer(o, s)));
        }
    }

    /** The Java client's answer, written back as the answer's bytes (an error as its code). */
    private static byte[] answer(TCPClient c, String statement) {
        try {
            return ValueWriter.answerPayload(c.execute(statement));
        } catch (RayforceEvaluationError e) {
            return ValueWriter.answerPayload(new RayError(e.code()));
        }
    }

    @Test
    void byteForByteThroughRayforcePy() throws Exception {
        check("rayforce-py", RayforcePyRun.run(CORPUS, cluster.gatewayPort(), both.oneServerPort()));
    }

    static void check(String client, List<CorpusRun.Outcome> outcomes) throws IOException {
        List<String> failed = new ArrayList<>();
        List<String> knownPassing = new ArrayList<>();
        int passed = 0;
        int known = 0;
        StringBuilder report = new StringBuilder();
        for (CorpusRun.Outcome o : outcomes) {
            if (o.passed()) {
                passed++;
                if (o.known() != null) {
                    knownPassing.add(o.id());
                }
                report.append("PASS ").append(o.id()).append('\n');
            } else if (o.known() != null) {
                known++;
                report.append("KNOWN ").append(o.id()).append(" (").append(o.known()).append(")\n");
            } else {
                failed.add(o.id() + ": " + o.statement() + "\n    " + o.diff());
                report.append("FAIL ").append(o.id()).append(": ").append(o.statement()).append("\n    ").append(o.diff()).append('\n');
            }
        }
        String summary = client + ": " + passed + " of " + outcomes.size() + " cases pass, " + known
                + " documented exceptions, " + failed.size() + " failures";
        report.insert(0, summary + "\n");
        Path out = Path.of("target", "corpus-" + client.replace(' ', '-') + ".txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println(summary);
        if (!knownPassing.isEmpty()) {
            System.out.println(client + ": documented exceptions that now pass (remove their @known): " + knownPassing);
        }
        assertThat(failed).as(summary).isEmpty();
    }
}
