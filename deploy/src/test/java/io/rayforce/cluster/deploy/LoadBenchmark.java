package io.rayforce.cluster.deploy;

import io.rayforce.cluster.client.ClientOptions;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.engine.NativeServer;
import io.rayforce.cluster.client.engine.ServerOptions;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.router.gateway.GatewayOptions;
import io.rayforce.cluster.router.load.Chunk;
import io.rayforce.cluster.router.load.ChunkSource;
import io.rayforce.cluster.router.load.CsvSource;
import io.rayforce.cluster.router.load.FileLoader;
import io.rayforce.cluster.router.load.LoadOptions;
import io.rayforce.cluster.router.load.LoadResult;
import io.rayforce.cluster.router.load.LoadTestFiles;
import io.rayforce.cluster.router.load.OrderedChunks;
import io.rayforce.cluster.router.load.TableLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Loading a CSV file: one native server reading it with its own reader ({@code .csv.read}) against
 * the cluster loading the same file, as {@code .cluster.loadFile} (the gateway reads it) and as
 * {@code rfc load} does (this process parses it and feeds the gateway), each the median of
 * {@code --runs} runs; plus parsing alone, to show where the time goes. The cluster is a local one
 * (embedded ZooKeeper, coordinator, {@code --nodes} nodes with replication {@code --replication},
 * the gateway), on this machine with the single server. Prints the load averages before and after:
 * numbers taken while other work runs are not the machine's. Run with
 * {@code scripts/bench load [--rows N --runs N --nodes N --replication R --shards S --file CSV]}.
 */
public final class LoadBenchmark {
    private LoadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long rows = Long.parseLong(arg(args, "--rows", "5000000").replace("_", ""));
        int runs = Integer.parseInt(arg(args, "--runs", "3"));
        int nodes = Integer.parseInt(arg(args, "--nodes", "3"));
        int replication = Integer.parseInt(arg(args, "--replication", "2"));
        int shards = Integer.parseInt(arg(args, "--shards", Integer.toString(2 * nodes)));
        String given = arg(args, "--file", null);
        String before = loadAverage();
        Path dir = Files.createTempDirectory("load-bench");
        Path csv = given != null ? Path.of(given).toAbsolutePath() : LoadTestFiles.trades(dir.resolve("trades.csv"), rows, 1);
        if (given != null) {
            rows = -1;
        }
        long bytes = Files.size(csv);
        System.out.printf(Locale.ROOT, "load benchmark: %s (%.1f MB), %d nodes, replication %d, %d shards, %d runs; load average %s%n",
                csv, bytes / 1e6, nodes, replication, shards, runs, before);

        double[] engine = new double[runs];
        double[] parse = new double[runs];
        double[] parseOne = new double[runs];
        double[] loadFile = new double[runs];
        double[] rfcLoad = new double[runs];
        ClientOptions big = ClientOptions.DEFAULT.withMaxFrameBytes(Integer.MAX_VALUE - 8).withRequestTimeout(Duration.ofMinutes(30));
        GatewayOptions gw = GatewayOptions.DEFAULT.withQueryTimeout(Duration.ofMinutes(30));
        try (NativeServer single = NativeServer.startOnFreePort(ServerOptions.onPort(1).bind("127.0.0.1"));
             TCPClient one = new TCPClient(single.host(), single.port(), big);
             LocalCluster cluster = LocalCluster.start(new LocalCluster.Settings(nodes, replication, 0, null, 0, gw));
             TCPClient gateway = new TCPClient("127.0.0.1", cluster.gatewayPort(), big)) {
            cluster.client().loadDirectory(csv.getParent());
            for (int r = 0; r < runs; r++) {
                long t0 = System.nanoTime();
                long n = ((I64Atom) one.execute("(count (set t (.csv.read \"" + csv + "\")))")).value();
                engine[r] = seconds(t0);
                one.execute("(del t)");
                rows = n;

                t0 = System.nanoTime();
                try (CsvSource src = new CsvSource(csv, csv.toString(), true, (char) 0, false, LoadOptions.DEFAULT_CHUNK_ROWS)) {
                    src.start(src.fileTypes());
                    for (Chunk c = src.next(); c != null; c = src.next()) {
                        // parsed only
                    }
                }
                parse[r] = seconds(t0);

                t0 = System.nanoTime();
                try (CsvSource src = new CsvSource(csv, csv.toString(), true, (char) 0, false, LoadOptions.DEFAULT_CHUNK_ROWS, 1)) {
                    src.start(src.fileTypes());
                    for (Chunk c = src.next(); c != null; c = src.next()) {
                        // parsed only, on one thread
                    }
                }
                parseOne[r] = seconds(t0);

                t0 = System.nanoTime();
                RayDict d = (RayDict) gateway.execute("(.cluster.loadFile 'bench \"" + csv.getFileName() + "\" {shardKey: 'sym shards: "
                        + shards + " replication: " + replication + "})");
                loadFile[r] = seconds(t0);
                check(d.get("rows"), rows);
                gateway.execute("(.cluster.drop 'bench)");

                t0 = System.nanoTime();
                List<ChunkSource> sources = new ArrayList<>();
                sources.add(new CsvSource(csv, csv.toString(), true, (char) 0, false, LoadOptions.DEFAULT_CHUNK_ROWS));
                LoadResult res = FileLoader.load(sources, "bench", LoadOptions.DEFAULT, new TableLayout("sym", shards, replication, false),
                        new GatewayLoadTarget(gateway), p -> { });
                rfcLoad[r] = seconds(t0);
                check(I64Atom.of(res.rows()), rows);
                gateway.execute("(.cluster.drop 'bench)");
                System.out.printf(Locale.ROOT, "run %d: engine %.2f s, parse %.2f s (one thread %.2f s), .cluster.loadFile %.2f s, rfc load %.2f s%n", r + 1,
                        engine[r], parse[r], parseOne[r], loadFile[r], rfcLoad[r]);
            }
        }
        String after = loadAverage();
        double e = median(engine);
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%n%,d rows, %.1f MB, median of %d runs; load average before %s, after %s%n", rows, bytes / 1e6,
                runs, before, after));
        b.append(String.format(Locale.ROOT, "%-52s %8s %14s %10s%n", "", "seconds", "rows/s", "vs engine"));
        line(b, "one server, .csv.read (the engine's own reader)", e, rows, e);
        line(b, "parsing alone (FastCSV into typed columns, " + OrderedChunks.defaultThreads() + " threads)", median(parse), rows, e);
        line(b, "parsing alone, one thread", median(parseOne), rows, e);
        line(b, "cluster, .cluster.loadFile (the gateway reads it)", median(loadFile), rows, e);
        line(b, "cluster, rfc load (client parses, gateway writes)", median(rfcLoad), rows, e);
        double best = Math.min(median(loadFile), median(rfcLoad));
        b.append(String.format(Locale.ROOT, "target: at least 0.5x the engine's rows/s; best cluster path: %.2fx%s%n", e / best,
                e / best >= 0.5 ? " (met)" : " (not met)"));
        System.out.print(b);
        Path report = Path.of("deploy", "target", "bench", "load.md");
        Files.createDirectories(report.getParent());
        Files.writeString(report, b.toString());
        System.out.println("(written to " + report + ")");
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static void check(Object got, long rows) {
        if (!(got instanceof I64Atom a) || (rows >= 0 && a.value() != rows)) {
            throw new IllegalStateException("loaded " + got + " rows, expected " + rows);
        }
    }

    private static void line(StringBuilder b, String what, double seconds, long rows, double engine) {
        b.append(String.format(Locale.ROOT, "%-52s %8.2f %,14.0f %9.2fx%n", what, seconds, rows / seconds, engine / seconds));
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String arg(String[] args, String name, String dflt) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return dflt;
    }
}
