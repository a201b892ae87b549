package io.rayforce.cluster.router.bench;

import io.rayforce.cluster.client.ClientOptions;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.engine.NativeServer;
import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.coordinator.server.Coordinator;
import io.rayforce.cluster.coordinator.server.CoordinatorConfig;
import io.rayforce.cluster.coordinator.store.EmbeddedZooKeeper;
import io.rayforce.cluster.node.NodeAgent;
import io.rayforce.cluster.node.NodeConfig;
import io.rayforce.cluster.router.ClusterClient;
import io.rayforce.cluster.router.ZooKeeperPlacement;
import io.rayforce.cluster.router.gateway.Gateway;
import io.rayforce.cluster.router.gateway.GatewayOptions;
import io.rayforce.cluster.router.planner.Planner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;

/**
 * Writes at stream speed (issue 17): single-row inserts with 1 and 8 writers, 10,000-row batch
 * inserts, single-row upserts with 8 writers, and a mixed stream (8 insert writers and 2 readers),
 * each against a local 3-node cluster (replication 2, one shard per node, as {@code rfc local}
 * makes it) through the gateway and against one native server, in the same run, with Java
 * {@code TCPClient}s. Reports rates, the cluster's share of the server's, read latencies during the
 * stream and on a quiet cluster, and the load average before and after. Run with
 * {@code scripts/bench writes [--seconds N --batches N]}.
 */
public final class WriteBenchmark {
    private static final String COLUMNS = "(table [id sym px] (list (as 'I64 []) (as 'SYM []) (as 'F64 [])))";
    private static final String READ = "(select {n: (count id) s: (sum px) from: ticks where: (== sym 'S7)})";

    private WriteBenchmark() {
    }

    /** One place to write to: the cluster's gateway or the server. */
    private interface Target {
        String name();

        TCPClient connect();

        /** Makes {@code ticks} empty. */
        void reset(String table);
    }

    public static void main(String[] args) throws Exception {
        // the readers' select is computed each time, as before the read cache kept answers: quiet reads would
        // otherwise be answered from it and the stream's reads compared with those
        System.setProperty(Planner.REUSE_ANSWERS_PROPERTY, "false");
        BenchArgs a = new BenchArgs(args);
        double seconds = a.intArg("--seconds", 6);
        warmupSeconds = a.intArg("--warmup", 3);
        int batches = a.intArg("--batches", 300);
        java.util.Set<String> only = new java.util.HashSet<>(List.of(a.stringArg("--only",
                "single1,single8,batch1,batch4,upsert,mixed").split(",")));
        Path out = Path.of(a.stringArg("--out", "router/target/bench/writes.md"));
        String loadBefore = loadAverage();
        Path dir = Files.createTempDirectory("bench-writes");
        List<NodeAgent> agents = new ArrayList<>();
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(0, null, EmbeddedZooKeeper.DEFAULT_TICK_MS);
             Coordinator coordinator = Coordinator.start(CoordinatorConfig.defaults(zk.connectString()).withCluster("bench"));
             NativeServer server = NativeServer.startOnFreePort();
             // the agents go before the coordinator and ZooKeeper (closed after them, they retried ZooKeeper for minutes)
             AutoCloseable closeAgents = () -> agents.forEach(NodeAgent::close)) {
            for (int i = 0; i < 3; i++) {
                agents.add(NodeAgent.start(NodeConfig.builder(zk.connectString(), "bench", dir.resolve("n" + i)).nodeId("n" + i)
                        .capacityBytes(4L << 30).build()));
            }
            try (ClusterClient client = ClusterClient.connect(zk.connectString(), "bench");
                 Gateway gateway = new Gateway(client, GatewayOptions.DEFAULT).start("127.0.0.1", 0);
                 TCPClient admin = new TCPClient("127.0.0.1", gateway.port());
                 TCPClient serverAdmin = new TCPClient(server.host(), server.port())) {
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> coordinator.isLeader()
                        && ((ZooKeeperPlacement) client.placement()).view().snapshot().nodes().size() == 3);
                ClientOptions big = ClientOptions.DEFAULT.withMaxFrameBytes(Integer.MAX_VALUE - 8);
                Target cluster = new Target() {
                    public String name() {
                        return "cluster";
                    }

                    public TCPClient connect() {
                        return new TCPClient("127.0.0.1", gateway.port(), big);
                    }

                    public void reset(String table) {
                        RayTable tables = (RayTable) admin.execute("(.cluster.tables)");
                        if (((SymbolVector) tables.column("name")).toList().contains(table)) {
                            admin.execute("(.cluster.drop '" + table + ")");
                        }
                        admin.execute("(.cluster.create '" + table + " " + COLUMNS + " 'id)");
                    }
                };
                Target one = new Target() {
                    public String name() {
                        return "one server";
                    }

                    public TCPClient connect() {
                        return new TCPClient(server.host(), server.port(), big);
                    }

                    public void reset(String table) {
                        serverAdmin.execute("(count (set " + table + " " + COLUMNS + "))");
                    }
                };
                StringBuilder md = new StringBuilder();
                md.append("### Writes (issue 17)\n\n").append(String.format(Locale.ROOT, "A 3-node cluster (embedded ZooKeeper, a "
                        + "coordinator, 3 node agents with their engines, replication 2, one shard per node) through the gateway, "
                        + "and one native server, in the same run; Java TCPClient, one connection per writer or reader; %.0f s per "
                        + "measurement; %s.%n%n", seconds, BenchArgs.machine()));
                md.append("| workload | cluster | one server | cluster / server |\n|---|---|---|---|\n");
                for (int writers : new int[] {1, 8}) {
                    if (!only.contains("single" + writers)) {
                        continue;
                    }
                    double c = singleRows(cluster, writers, seconds);
                    double s = singleRows(one, writers, seconds);
                    md.append(String.format(Locale.ROOT, "| single-row inserts `(insert 'ticks (list id 'S7 1.5))`, %d writer%s "
                            + "| %,.0f /s | %,.0f /s | %.2fx |%n", writers, writers == 1 ? "" : "s", c, s, c / s));
                }
                if (only.contains("batch1")) {
                    double cb = batchesOf(cluster, batches, 1);
                    double sb = batchesOf(one, batches, 1);
                    md.append(String.format(Locale.ROOT, "| 10,000-row batch inserts, 1 writer, %d batches | %,.0f rows/s | %,.0f "
                            + "rows/s | %.2fx |%n", batches, cb, sb, cb / sb));
                }
                if (only.contains("batch4")) {
                    double cb4 = batchesOf(cluster, batches, 4);
                    double sb4 = batchesOf(one, batches, 4);
                    md.append(String.format(Locale.ROOT, "| 10,000-row batch inserts, 4 writers, %d batches each | %,.0f rows/s | "
                            + "%,.0f rows/s | %.2fx |%n", batches, cb4, sb4, cb4 / sb4));
                }
                if (only.contains("upsert")) {
                    double cu = upserts(cluster, 8, seconds);
                    double su = upserts(one, 8, seconds);
                    md.append(String.format(Locale.ROOT, "| single-row upserts `(upsert 'ticks 1 (list id 'S7 1.5))`, keys of "
                            + "0..9999, 8 writers | %,.0f /s | %,.0f /s | %.2fx |%n", cu, su, cu / su));
                }
                if (!only.contains("mixed")) {
                    md.append(String.format(Locale.ROOT, "%nLoad average (1, 5, 15 min) before: %s; after: %s.%n", loadBefore,
                            loadAverage()));
                    BenchArgs.publish(md.toString(), out);
                    return;
                }
                double[] quiet = mixed(cluster, 0, seconds);
                double[] stream = mixed(cluster, 8, seconds);
                double[] quietOne = mixed(one, 0, seconds);
                double[] streamOne = mixed(one, 8, seconds);
                md.append(String.format(Locale.ROOT, "| mixed: 8 insert writers and 2 readers, inserts | %,.0f /s | %,.0f /s | %.2fx |%n",
                        stream[2], streamOne[2], stream[2] / streamOne[2]));
                md.append("\n| reads `" + READ + "`, 2 readers | p50 ms | p90 ms | p99 ms | reads/s |\n|---|---|---|---|---|\n");
                md.append(readRow("cluster, quiet", quiet)).append(readRow("cluster, during the insert stream", stream))
                        .append(readRow("one server, quiet", quietOne)).append(readRow("one server, during the insert stream", streamOne));
                md.append(String.format(Locale.ROOT, "%nReads' p50 during the stream / on a quiet cluster: %.2fx.%n", stream[0] / quiet[0]));
                md.append(String.format(Locale.ROOT, "%nLoad average (1, 5, 15 min) before: %s; after: %s.%n", loadBefore, loadAverage()));
                BenchArgs.publish(md.toString(), out);
            }
        }
    }

    private static String readRow(String name, double[] r) {
        return String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %,.0f |%n", name, r[0], r[1], r[3], r[4]);
    }

    /** Single-row inserts by {@code writers} connections for {@code seconds}; inserts per second. */
    private static double singleRows(Target t, int writers, double seconds) throws Exception {
        t.reset("ticks");
        return run(t, writers, seconds, (c, w, i) -> c.execute("(insert 'ticks (list " + (w * 100_000_000L + i) + " 'S7 1.5))"));
    }

    private static double upserts(Target t, int writers, double seconds) throws Exception {
        t.reset("ticks");
        return run(t, writers, seconds, (c, w, i) -> c.execute("(upsert 'ticks 1 (list " + ((w * 7919L + i * 31L) % 10_000)
                + " 'S7 1.5))"));
    }

    private interface Step {
        void run(TCPClient c, int writer, long i);
    }

    /** How long each workload first runs unmeasured ({@code --warmup}): the JIT compiles its path meanwhile. */
    private static double warmupSeconds = 3;

    /** The workload for {@link #warmupSeconds} unmeasured (writers numbered from 50), then for {@code seconds}; its rate. */
    private static double run(Target t, int writers, double seconds, Step step) throws Exception {
        timed(t, writers, warmupSeconds, 50, step);
        return timed(t, writers, seconds, 0, step);
    }

    private static double timed(Target t, int writers, double seconds, int firstWriter, Step step) throws Exception {
        AtomicLong done = new AtomicLong();
        Clients clients = new Clients(t);
        for (int w = 0; w < writers; w++) {
            int writer = firstWriter + w;
            clients.add(c -> {
                for (long i = 1_000; !clients.stopped(); i++) {
                    step.run(c, writer, i);
                    done.incrementAndGet();
                }
            });
        }
        return clients.runFor(seconds, done);
    }

    /** What a client does on its connection. */
    private interface Body {
        void run(TCPClient c) throws Exception;
    }

    /**
     * Client threads, each on a connection of its own to the target, started together; the first
     * error any of them met is thrown once they are done.
     */
    private static final class Clients {
        private final Target target;
        private final AtomicBoolean stop = new AtomicBoolean();
        private final List<Thread> threads = new ArrayList<>();
        private final List<Throwable> errors = new ArrayList<>();
        /** Seconds from the start until they were told to stop (or were all done). */
        double elapsed;

        Clients(Target target) {
            this.target = target;
        }

        void add(Body body) {
            threads.add(new Thread(() -> {
                try (TCPClient c = target.connect()) {
                    body.run(c);
                } catch (Throwable e) {
                    synchronized (errors) {
                        errors.add(e);
                    }
                }
            }));
        }

        boolean stopped() {
            return stop.get();
        }

        /** Runs them for {@code seconds}, then stops them; answers {@code counted} per second until the stop. */
        double runFor(double seconds, AtomicLong counted) throws Exception {
            long t0 = System.nanoTime();
            threads.forEach(Thread::start);
            Thread.sleep((long) (seconds * 1000));
            stop.set(true);
            long n = counted.get();
            elapsed = (System.nanoTime() - t0) / 1e9;
            awaitAll();
            return n / elapsed;
        }

        /** Runs them until each is done. */
        void runToEnd() throws Exception {
            long t0 = System.nanoTime();
            threads.forEach(Thread::start);
            for (Thread th : threads) {
                th.join();
            }
            elapsed = (System.nanoTime() - t0) / 1e9;
            awaitAll();
        }

        private void awaitAll() throws Exception {
            for (Thread th : threads) {
                th.join();
            }
            if (!errors.isEmpty()) {
                throw new IllegalStateException(target.name() + ": " + errors.get(0), errors.get(0));
            }
        }
    }

    /** {@code batches} inserts of 10,000-row tables per writer; rows per second. */
    private static double batchesOf(Target t, int batches, int writers) throws Exception {
        t.reset("ticks");
        try (TCPClient c = t.connect()) {
            c.execute(insert(batch(0)));
        }
        Clients clients = new Clients(t);
        for (int w = 0; w < writers; w++) {
            int writer = w;
            clients.add(c -> {
                for (int b = 0; b < batches; b++) {
                    c.execute(insert(batch((writer * 10_000L + b + 1) * 10_000)));
                }
            });
        }
        clients.runToEnd();
        return (double) batches * writers * 10_000 / clients.elapsed;
    }

    private static RayValue insert(RayTable rows) {
        return RayList.of(Name.of("insert"), Symbol.of("ticks"), rows);
    }

    private static RayTable batch(long from) {
        long[] id = new long[10_000];
        String[] sym = new String[10_000];
        double[] px = new double[10_000];
        for (int i = 0; i < id.length; i++) {
            id[i] = from + i;
            sym[i] = "S" + (i % 10);
            px[i] = i * 0.5;
        }
        return RayTable.of(List.of("id", "sym", "px"), List.of(new I64Vector(id), SymbolVector.of(sym), new F64Vector(px)));
    }

    /**
     * 2 readers running {@link #READ} while {@code writers} insert single rows, for {@code seconds},
     * on a table of 100,000 rows to start with; answers {p50, p90, inserts/s, p99, reads/s} (ms).
     */
    private static double[] mixed(Target t, int writers, double seconds) throws Exception {
        t.reset("ticks");
        try (TCPClient c = t.connect()) {
            for (int b = 0; b < 10; b++) {
                c.execute(insert(batch(1_000_000_000L + b * 10_000L)));
            }
        }
        AtomicLong inserts = new AtomicLong();
        List<Samples> reads = new ArrayList<>();
        Clients clients = new Clients(t);
        for (int w = 0; w < writers; w++) {
            int writer = w;
            clients.add(c -> {
                for (long i = 0; !clients.stopped(); i++) {
                    c.execute("(insert 'ticks (list " + (writer * 100_000_000L + i) + " 'S7 1.5))");
                    inserts.incrementAndGet();
                }
            });
        }
        for (int r = 0; r < 2; r++) {
            Samples s = new Samples(100_000);
            reads.add(s);
            clients.add(c -> {
                for (int i = 0; i < 50; i++) {
                    c.execute(READ);
                }
                while (!clients.stopped()) {
                    long t0 = System.nanoTime();
                    c.execute(READ);
                    s.add(System.nanoTime() - t0);
                }
            });
        }
        double insertRate = clients.runFor(seconds, inserts);
        double elapsed = clients.elapsed;
        Samples all = new Samples(200_000);
        reads.forEach(s -> s.forEach(all::add));
        return new double[] {all.quantileMillis(0.5), all.quantileMillis(0.9), insertRate, all.quantileMillis(0.99),
            all.size() / elapsed};
    }

    private static String loadAverage() {
        try {
            String[] p = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return p[0] + ", " + p[1] + ", " + p[2];
        } catch (Exception e) {
            return "unknown";
        }
    }
}
