package io.rayforce.cluster.router.corpus;

import io.rayforce.cluster.client.testing.Hex;
import io.rayforce.cluster.client.testing.RayforcePy;
import io.rayforce.cluster.router.globals.GlobalStatements;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The corpus through rayforce-py's TCPClient (the script {@code corpus/rayforce_py_run.py}): the
 * Python side sends every statement to both servers and hands back each answer as rayforce-py
 * holds it, serialized with the engine's own serializer; they are compared here byte for byte.
 */
final class RayforcePyRun {
    private RayforcePyRun() {
    }

    static List<CorpusRun.Outcome> run(Corpus corpus, int clusterPort, int oraclePort) throws IOException, InterruptedException {
        StringBuilder in = new StringBuilder("PORTS " + clusterPort + " " + oraclePort + "\n");
        GlobalStatements.engineEnv().forEach(b -> in.append("BUILTIN ").append(b).append('\n'));
        Map<String, Corpus.Case> byId = new LinkedHashMap<>();
        for (Corpus.CorpusFile f : corpus.files()) {
            in.append("FILE ").append(f.name()).append('\n');
            for (Corpus.Case c : f.cases()) {
                in.append("CASE ").append(c.id(f)).append('\n');
                c.statements().forEach(st -> in.append("STMT ").append(st).append('\n'));
                byId.put(c.id(f), c);
            }
        }
        Path script = Files.createTempFile("rayforce-py-corpus", ".py");
        try (InputStream res = RayforcePyRun.class.getResourceAsStream("/corpus/rayforce_py_run.py")) {
            Files.write(script, res.readAllBytes());
        }
        try {
            Process p = new ProcessBuilder(RayforcePy.python().toString(), script.toString()).redirectErrorStream(false).start();
            p.getOutputStream().write(in.toString().getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("rayforce-py's run of the corpus failed: " + err);
            }
            Map<String, String[]> firstDiff = new LinkedHashMap<>();
            for (String line : out.split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                String d = diff(f[2], f[3]);
                if (d != null && !firstDiff.containsKey(f[0])) {
                    firstDiff.put(f[0], new String[] {f[1], d});
                }
            }
            List<CorpusRun.Outcome> outcomes = new ArrayList<>();
            byId.forEach((id, c) -> {
                String[] d = firstDiff.get(id);
                outcomes.add(new CorpusRun.Outcome(id, c.known(), d == null ? null : d[0], d == null ? null : d[1]));
            });
            return outcomes;
        } finally {
            Files.deleteIfExists(script);
        }
    }

    private static String diff(String oracle, String cluster) {
        if (oracle.startsWith("ERR ") || cluster.startsWith("ERR ")) {
            return oracle.equals(cluster) ? null : "one server: " + oracle + " | cluster: " + cluster;
        }
        return AnswerDiff.diff(Hex.parse(oracle), Hex.parse(cluster));
    }
}
