package io.rayforce.cluster.client.bench;

import io.rayforce.cluster.client.ClientOptions;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.engine.EngineBinary;
import io.rayforce.cluster.client.engine.NativeServer;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The client benchmark (issues 2 and 16): decode throughput of a large table result and
 * round-trip latency of a tiny query, for this Java client and for rayforce-py's native
 * TCPClient against the same server in the same run, and the bandwidth of a plain loopback
 * socket on the same machine as the ceiling. Run with {@code scripts/bench client}; prints a
 * Markdown report and writes it to {@code client/target/bench/client.md}.
 *
 * <p>The two clients take turns: one fetch each per round, and blocks of 1,000 tiny queries
 * each, so that load from other work on the machine falls on both alike. The report gives the
 * 1-minute load average before and after.
 *
 * <p>The table has i64, f64, symbol and timestamp columns. rayforce-py refuses frames over
 * 256 MiB, so the default is 9 million rows (about 249 MiB on the wire), the largest round size
 * both clients can receive.
 */
public final class ClientBenchmark {
    static final int PING_BLOCK = 1000;

    private ClientBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rows = intArg(args, "--rows", 9_000_000);
        int fetches = intArg(args, "--fetches", 5);
        int pings = intArg(args, "--pings", 20_000);
        Path out = Path.of(stringArg(args, "--out", "client/target/bench/client.md"));
        double loadBefore = loadAverage();

        try (NativeServer server = NativeServer.startOnFreePort();
             TCPClient client = new TCPClient(server.host(), server.port(),
                     ClientOptions.DEFAULT.withMaxFrameBytes(Integer.MAX_VALUE - 8));
             Py py = Py.start(server.port())) {
            client.execute("(count (set bench (table [id px sym ts] (list (til " + rows + ") (* 1.5 (til " + rows
                    + ")) (take [AAPL MSFT GOOG IBM AMZN META NVDA TSLA ORCL INTC] " + rows
                    + ") (+ 2024.01.01D00:00:00.000000000 (* 1000 (til " + rows + ")))))))");

            // fetch the table: 2 warm-up fetches each, then one fetch each per round, in turns
            long bytes = 0;
            for (int i = 0; i < 2; i++) {
                client.execute("bench");
                py.fetch();
            }
            double[] javaFetch = new double[fetches];
            double[] javaGc = new double[fetches];
            double[] pyFetch = new double[fetches];
            for (int i = 0; i < fetches; i++) {
                if (i % 2 == 1) {
                    pyFetch[i] = py.fetch();
                }
                long gc0 = gcMillis();
                long t0 = System.nanoTime();
                RayValue v = client.execute("bench");
                javaFetch[i] = (System.nanoTime() - t0) / 1e9;
                javaGc[i] = (gcMillis() - gc0) / 1e3;
                if (((RayTable) v).rowCount() != rows) {
                    throw new IllegalStateException("fetched " + ((RayTable) v).rowCount() + " rows, expected " + rows);
                }
                bytes = io.rayforce.cluster.client.ipc.ValueWriter.sizeOf(v);
                v = null;
                if (i % 2 == 0) {
                    pyFetch[i] = py.fetch();
                }
            }

            // tiny query latency: 2,000 warm-up each, then blocks of PING_BLOCK in turns
            for (int i = 0; i < 2000; i++) {
                client.execute("(+ 1 2)");
            }
            py.ping(2000);
            double[] javaLat = new double[pings];
            double[] pyLat = new double[pings];
            for (int done = 0; done < pings; done += PING_BLOCK) {
                int n = Math.min(PING_BLOCK, pings - done);
                for (int i = 0; i < n; i++) {
                    long t0 = System.nanoTime();
                    client.execute("(+ 1 2)");
                    javaLat[done + i] = (System.nanoTime() - t0) / 1e3;
                }
                System.arraycopy(py.ping(n), 0, pyLat, done, n);
            }

            double loopback = loopbackBytesPerSecond(bytes);
            String report = report(rows, bytes, javaFetch, javaGc, javaLat, pyFetch, pyLat, loopback, loadBefore, loadAverage());
            System.out.println(report);
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, report);
        }
    }

    /** Milliseconds this JVM's collectors have spent collecting so far. */
    static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionTime)
                .filter(t -> t > 0).sum();
    }

    /** The 1-minute load average (negative where the platform has none). */
    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /**
     * rayforce-py's TCPClient in its own process (client/src/test/python/bench_rayforce_py.py),
     * connected once and told what to run, a block at a time.
     */
    static final class Py implements AutoCloseable {
        private final Process process;
        private final BufferedWriter commands;
        private final BufferedReader answers;

        private Py(Process process) {
            this.process = process;
            this.commands = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
            this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        static Py start(int port) throws IOException {
            Path python = EngineBinary.locate().getParent().getParent().resolve("bin/python");
            Path script = Path.of("client/src/test/python/bench_rayforce_py.py").toAbsolutePath();
            return new Py(new ProcessBuilder(python.toString(), script.toString(), "--port", Integer.toString(port))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start());
        }

        /** Seconds rayforce-py took to fetch the table once. */
        double fetch() throws IOException {
            return ask("fetch", "fetch_seconds")[0];
        }

        /** The round trips of {@code n} tiny queries, in microseconds. */
        double[] ping(int n) throws IOException {
            return ask("ping " + n, "latency_us");
        }

        private double[] ask(String command, String key) throws IOException {
            commands.write(command + "\n");
            commands.flush();
            String json = answers.readLine();
            if (json == null) {
                throw new IllegalStateException("the rayforce-py benchmark process ended (exit " + exitCode() + ") at: " + command);
            }
            return numbers(json, key);
        }

        private String exitCode() {
            try {
                return process.waitFor(5, TimeUnit.SECONDS) ? Integer.toString(process.exitValue()) : "still running";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "unknown";
            }
        }

        @Override
        public void close() throws IOException {
            try {
                commands.write("quit\n");
                commands.flush();
            } catch (IOException ignored) {
                // already gone
            }
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroy();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroy();
            }
        }
    }

    /**
     * The ceiling: bytes per second a plain loopback TCP socket moves on this machine, one thread
     * writing 1 MiB buffers and one reading them, best of 3 transfers of {@code bytes}.
     */
    static double loopbackBytesPerSecond(long bytes) throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            double best = 0;
            for (int run = 0; run < 3; run++) {
                try (SocketChannel writer = SocketChannel.open(listener.getLocalAddress());
                     SocketChannel reader = listener.accept()) {
                    Thread t = new Thread(() -> {
                        ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20);
                        try {
                            for (long left = bytes; left > 0; ) {
                                chunk.clear().limit((int) Math.min(chunk.capacity(), left));
                                left -= writer.write(chunk);
                            }
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }, "loopback-writer");
                    ByteBuffer in = ByteBuffer.allocateDirect(1 << 20);
                    long t0 = System.nanoTime();
                    t.start();
                    for (long got = 0; got < bytes; ) {
                        in.clear();
                        int n = reader.read(in);
                        if (n < 0) {
                            throw new IOException("loopback writer closed early");
                        }
                        got += n;
                    }
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    t.join();
                    best = Math.max(best, bytes / seconds);
                }
            }
            return best;
        }
    }

    static double[] numbers(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\": \\[([^\\]]*)\\]").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + key + " in " + json);
        }
        return Arrays.stream(m.group(1).split(",")).map(String::strip).mapToDouble(Double::parseDouble).toArray();
    }

    static String report(int rows, long bytes, double[] javaFetch, double[] javaGc, double[] javaLat, double[] pyFetch,
                         double[] pyLat, double loopback, double loadBefore, double loadAfter) {
        double mb = bytes / 1e6;
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%d cores, Java %s, %s %s; 1-minute load average %.2f before, %.2f after.",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), System.getProperty("os.name"),
                System.getProperty("os.arch"), loadBefore, loadAfter));
        lines.add("");
        lines.add(String.format(Locale.ROOT, "Table fetch: %,d rows (i64, f64, symbol, timestamp), %.0f MB on the wire; "
                + "best and median of %d fetches each, the two clients in turns, after 2 warm-up fetches each.",
                rows, mb, javaFetch.length));
        lines.add("");
        lines.add("| client | best s | median s | MB/s (best) | Mrows/s (best) |");
        lines.add("|---|---|---|---|---|");
        lines.add(fetchRow("Java TCPClient", javaFetch, mb, rows));
        lines.add(fetchRow("rayforce-py TCPClient (native C)", pyFetch, mb, rows));
        String gcs = ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
                .collect(java.util.stream.Collectors.joining(", "));
        lines.add(String.format(Locale.ROOT, "| plain loopback socket (ceiling), Java NIO, 1 MiB buffers | %.3f | | %.0f | |",
                bytes / loopback, loopback / 1e6));
        lines.add("");
        lines.add(String.format(Locale.ROOT, "Of the Java fetches' time, garbage collection (%s) took %s s; the best fetch "
                + "had %.3f s of it.", gcs, Arrays.stream(javaGc).mapToObj(g -> String.format(Locale.ROOT, "%.3f", g))
                .collect(java.util.stream.Collectors.joining(", ")), javaGc[argMin(javaFetch)]));
        lines.add("");
        lines.add(String.format(Locale.ROOT, "Tiny query `(+ 1 2)` round trip: %,d sequential requests each, in blocks of %,d "
                + "taking turns, after 2,000 warm-up each.", javaLat.length, PING_BLOCK));
        lines.add("");
        lines.add("| client | p50 us | p99 us | mean us |");
        lines.add("|---|---|---|---|");
        lines.add(latencyRow("Java TCPClient", javaLat));
        lines.add(latencyRow("rayforce-py TCPClient (native C)", pyLat));
        lines.add("");
        double fetchRatio = min(pyFetch) / min(javaFetch);
        double medianRatio = pct(pyFetch, 50) / pct(javaFetch, 50);
        double loopbackShare = bytes / min(javaFetch) / loopback;
        double p50Ratio = pct(javaLat, 50) / pct(pyLat, 50);
        lines.add(String.format(Locale.ROOT, "Java throughput = %.2fx rayforce-py's at best, %.2fx at the median "
                + "(target >= 1.0); %.2fx the loopback socket's (target >= 0.5). Java p50 = %.2fx rayforce-py's "
                + "(target <= 1.0).", fetchRatio, medianRatio, loopbackShare, p50Ratio));
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

    static int argMin(double[] a) {
        int best = 0;
        for (int i = 1; i < a.length; i++) {
            if (a[i] < a[best]) {
                best = i;
            }
        }
        return best;
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
