package io.rayforce.cluster.client.bench;

import io.rayforce.cluster.client.ClientOptions;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.engine.EngineBinary;
import io.rayforce.cluster.client.engine.NativeServer;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The client benchmark (issue 2): decode throughput of a large table result and round-trip
 * latency of a tiny query, for this Java client and for rayforce-py's native TCPClient against
 * the same server in the same run. Run with {@code scripts/bench client}; prints a Markdown
 * report and writes it to {@code client/target/bench/client.md}.
 *
 * <p>The table has i64, f64, symbol and timestamp columns. rayforce-py refuses frames over
 * 256 MiB, so the default is 9 million rows (about 249 MiB on the wire), the largest round size
 * both clients can receive.
 */
public final class ClientBenchmark {
    private ClientBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rows = intArg(args, "--rows", 9_000_000);
        int fetches = intArg(args, "--fetches", 5);
        int pings = intArg(args, "--pings", 20_000);
        Path out = Path.of(stringArg(args, "--out", "client/target/bench/client.md"));

        try (NativeServer server = NativeServer.startOnFreePort();
             TCPClient client = new TCPClient(server.host(), server.port(),
                     ClientOptions.DEFAULT.withMaxFrameBytes(Integer.MAX_VALUE - 8))) {
            client.execute("(count (set bench (table [id px sym ts] (list (til " + rows + ") (* 1.5 (til " + rows
                    + ")) (take [AAPL MSFT GOOG IBM AMZN META NVDA TSLA ORCL INTC] " + rows
                    + ") (+ 2024.01.01D00:00:00.000000000 (* 1000 (til " + rows + ")))))))");

            // Java: fetch the table
            long bytes = 0;
            for (int i = 0; i < 2; i++) {
                client.execute("bench");
            }
            double[] javaFetch = new double[fetches];
            for (int i = 0; i < fetches; i++) {
                long t0 = System.nanoTime();
                RayValue v = client.execute("bench");
                javaFetch[i] = (System.nanoTime() - t0) / 1e9;
                if (((RayTable) v).rowCount() != rows) {
                    throw new IllegalStateException("fetched " + ((RayTable) v).rowCount() + " rows, expected " + rows);
                }
                bytes = io.rayforce.cluster.client.ipc.ValueWriter.sizeOf(v);
            }
            // Java: tiny query latency
            for (int i = 0; i < 2000; i++) {
                client.execute("(+ 1 2)");
            }
            double[] javaLat = new double[pings];
            for (int i = 0; i < pings; i++) {
                long t0 = System.nanoTime();
                client.execute("(+ 1 2)");
                javaLat[i] = (System.nanoTime() - t0) / 1e3;
            }

            // rayforce-py against the same server
            Py py = runRayforcePy(server.port(), fetches, pings);

            String report = report(rows, bytes, javaFetch, javaLat, py);
            System.out.println(report);
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, report);
        }
    }

    record Py(double[] fetch, double[] latency) {
    }

    static Py runRayforcePy(int port, int fetches, int pings) throws IOException, InterruptedException {
        Path python = EngineBinary.locate().getParent().getParent().resolve("bin/python");
        Path script = Path.of("client/src/test/python/bench_rayforce_py.py").toAbsolutePath();
        Process p = new ProcessBuilder(python.toString(), script.toString(), "--port", Integer.toString(port),
                "--fetches", Integer.toString(fetches), "--pings", Integer.toString(pings))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String json = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("rayforce-py benchmark failed: " + json);
        }
        return new Py(numbers(json, "fetch_seconds"), numbers(json, "latency_us"));
    }

    static double[] numbers(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\": \\[([^\\]]*)\\]").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + key + " in " + json);
        }
        return Arrays.stream(m.group(1).split(",")).map(String::strip).mapToDouble(Double::parseDouble).toArray();
    }

    static String report(int rows, long bytes, double[] javaFetch, double[] javaLat, Py py) {
        double mb = bytes / 1e6;
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "Table fetch: %,d rows (i64, f64, symbol, timestamp), %.0f MB on the wire; "
                + "best and median of %d fetches after 2 warm-up fetches.", rows, mb, javaFetch.length));
        lines.add("");
        lines.add("| client | best s | median s | MB/s (best) | Mrows/s (best) |");
        lines.add("|---|---|---|---|---|");
        lines.add(fetchRow("Java TCPClient", javaFetch, mb, rows));
        lines.add(fetchRow("rayforce-py TCPClient (native C)", py.fetch(), mb, rows));
        lines.add("");
        lines.add(String.format(Locale.ROOT, "Tiny query `(+ 1 2)` round trip: %,d sequential requests after 2,000 warm-up.",
                javaLat.length));
        lines.add("");
        lines.add("| client | p50 us | p99 us | mean us |");
        lines.add("|---|---|---|---|");
        lines.add(latencyRow("Java TCPClient", javaLat));
        lines.add(latencyRow("rayforce-py TCPClient (native C)", py.latency()));
        lines.add("");
        double fetchRatio = min(py.fetch()) / min(javaFetch);
        double p50Ratio = pct(javaLat, 50) / pct(py.latency(), 50);
        lines.add(String.format(Locale.ROOT, "Java throughput = %.2fx rayforce-py's (target >= 1.0); Java p50 = %.2fx "
                + "rayforce-py's (target <= 1.5).", fetchRatio, p50Ratio));
        return String.join("\n", lines) + "\n";
    }

    static String fetchRow(String who, double[] s, double mb, int rows) {
        return String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.0f | %.1f |", who, min(s), pct(s, 50), mb / min(s),
                rows / min(s) / 1e6);
    }

    static String latencyRow(String who, double[] us) {
        return String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f |", who, pct(us, 50), pct(us, 99),
                Arrays.stream(us).average().orElse(Double.NaN));
    }

    static double min(double[] a) {
        return Arrays.stream(a).min().orElse(Double.NaN);
    }

    static double pct(double[] a, double p) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.ceil(p / 100.0 * s.length) - 1)];
    }

    static int intArg(String[] args, String name, int dflt) {
        String v = stringArg(args, name, null);
        return v == null ? dflt : Integer.parseInt(v.replace("_", ""));
    }

    static String stringArg(String[] args, String name, String dflt) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return dflt;
    }
}
