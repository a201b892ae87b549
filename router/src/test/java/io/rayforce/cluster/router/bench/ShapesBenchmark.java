package io.rayforce.cluster.router.bench;

import static org.awaitility.Awaitility.await;

import io.rayforce.cluster.client.ClientOptions;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.engine.NativeServer;
import io.rayforce.cluster.client.engine.ServerOptions;
import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.I64Atom;
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
import io.rayforce.cluster.router.QueryOptions;
import io.rayforce.cluster.router.QueryResult;
import io.rayforce.cluster.router.ZooKeeperPlacement;
import io.rayforce.cluster.router.planner.Planner;
import io.rayforce.cluster.router.testing.HeapPeaks;
import io.rayforce.cluster.router.testing.SameAnswer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * The shapes benchmark (issue 13): each query shape on a 3-node cluster (an embedded ZooKeeper, a
 * coordinator, three node agents with their engines, the router in this JVM) against one native
 * server holding the same rows, on the same machine. For each shape: the answers are checked
 * equal (a join of large inputs by its rows, since one server's order is its own), then both run
 * alternately; the report gives the median times and their ratio, the bytes that came from the
 * engines to the router and went from the router to the nodes, the most of its memory budget the
 * query held at the router, and the router JVM's peak heap during the query (an upper bound: the
 * nodes' agents share the JVM). The 1-minute load average is printed before and after: numbers
 * taken on a busy machine say little. Run with {@code scripts/bench shapes [--rows N --runs N]}.
 */
public final class ShapesBenchmark {
    private record Shape(String name, String rayfall) {
    }

    private static final String[] AGGREGATES = {"sum", "count", "avg", "min", "max", "first", "last", "dev", "var", "med"};

    private static List<Shape> shapes() {
        List<Shape> out = new ArrayList<>(List.of(
                new Shape("count distinct of a column", "(count (distinct (at big 'sym)))"),
                new Shape("avg by ratio of aggregates", "(select {r: (/ (sum qty) (count qty)) by: sym from: big})"),
                new Shape("top-k after a filter", "(take (xdesc (select {from: big where: (> qty 990)}) 'px) 10)"),
                new Shape("wavg by", "(select {w: (wavg qty px) by: sym from: big})"),
                new Shape("percentile", "(select {p: (percentile px 0.9) from: big})"),
                new Shape("med by", "(select {m: (med px) by: sym from: big})")));
        for (String a : AGGREGATES) {
            out.add(new Shape("group-by " + a, "(select {a: (" + a + " px) by: sym from: big})"));
        }
        out.addAll(List.of(
                new Shape("top-k", "(select {from: big desc: px take: 10})"),
                new Shape("distinct", "(distinct (at big 'sym))"),
                new Shape("count of a select", "(count (select {from: big where: (> px 500.0)}))"),
                new Shape("join of tables not sharded alike", "(inner-join [k] big other)"),
                new Shape("ipcsave of a group-by", "(count (set bysym (select {s: (sum qty) n: (count qty) by: sym from: big})))")));
        return out;
    }

    private ShapesBenchmark() {
    }

    /** Rows [lo, lo + n) of {@code big}: id, k (= id), sym (100, skewed), px, qty. */
    private static RayTable big(long lo, int n, SplittableRandom r) {
        long[] id = new long[n];
        String[] sym = new String[n];
        double[] px = new double[n];
        long[] qty = new long[n];
        for (int i = 0; i < n; i++) {
            id[i] = lo + i;
            sym[i] = "S" + (int) (Math.pow(r.nextDouble(), 2) * 100);
            px[i] = Math.round(r.nextDouble() * 100_000) / 100.0;
            qty[i] = 1 + r.nextInt(1000);
        }
        return RayTable.builder().column("id", new I64Vector(id)).column("k", new I64Vector(id.clone()))
                .column("sym", new SymbolVector(sym)).column("px", new F64Vector(px)).column("qty", new I64Vector(qty)).build();
    }

    /** {@code other}: n rows sharded on k; one in a thousand meets a row of big, the rest lie beyond it. */
    private static RayTable other(long rows, int n, SplittableRandom r) {
        long[] k = new long[n];
        long[] w = new long[n];
        for (int i = 0; i < n; i++) {
            k[i] = i % 1000 == 0 ? r.nextLong(rows) : rows * 10 + i;
            w[i] = i;
        }
        return RayTable.builder().column("k", new I64Vector(k)).column("w", new I64Vector(w)).build();
    }

    public static void main(String[] args) throws Exception {
        // each run computes its query: the same query again on an unchanged table would be answered from the read cache
        System.setProperty(Planner.REUSE_ANSWERS_PROPERTY, "false");
        BenchArgs a = new BenchArgs(args);
        long rows = a.intArg("--rows", 5_000_000);
        int runs = a.intArg("--runs", 3);
        String only = a.stringArg("--only", "");
        boolean analyze = a.stringArg("--analyze", "no").equals("yes");
        int batch = 500_000;
        Path out = Path.of(a.stringArg("--out", "router/target/bench/shapes.md"));
        String loadBefore = BenchArgs.loadAverage();
        Path dir = Files.createTempDirectory("shapes-bench");
        String cluster = "b" + Long.toHexString(System.nanoTime());
        ClientOptions bigFrames = ClientOptions.DEFAULT.withMaxFrameBytes(Integer.MAX_VALUE - 8);
        List<NodeAgent> nodes = new ArrayList<>();
        StringBuilder md = new StringBuilder("### Query shapes: 3 nodes vs one server\n\n");
        StringBuilder plans = new StringBuilder("\nPlans (explain, with what each step was expected to move):\n\n");
        System.out.println("load average before: " + loadBefore);
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start()) {
            for (int i = 1; i <= 3; i++) {
                nodes.add(NodeAgent.start(NodeConfig.builder(zk.connectString(), cluster, dir.resolve("n" + i)).nodeId("n" + i)
                        .capacityBytes(8L << 30).controlBind("127.0.0.1").build()));
            }
            try (Coordinator coordinator = Coordinator.start(CoordinatorConfig.defaults(zk.connectString()).withCluster(cluster));
                 ClusterClient client = ClusterClient.connect(zk.connectString(), cluster);
                 NativeServer single = NativeServer.startOnFreePort(ServerOptions.onPort(1).bind("127.0.0.1"));
                 TCPClient oneServer = new TCPClient(single.host(), single.port(), bigFrames)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> coordinator.isLeader()
                        && ((ZooKeeperPlacement) client.placement()).view().snapshot().nodes().size() == 3);
                SplittableRandom r = new SplittableRandom(42);
                long t0 = System.nanoTime();
                for (long lo = 0; lo < rows; lo += batch) {
                    RayTable part = big(lo, (int) Math.min(batch, rows - lo), r);
                    if (lo == 0) {
                        client.execute(RayList.of(Name.of(".cluster.create"), Symbol.of("big"), part, Symbol.of("id"),
                                I64Atom.of(6), I64Atom.of(1)));
                        oneServer.execute(RayList.of(Name.of("count"), RayList.of(Name.of("set"), Symbol.of("big"), part)));
                    } else {
                        client.execute(RayList.of(Name.of(".cluster.load"), Symbol.of("big"), part));
                        oneServer.execute(RayList.of(Name.of("count"), RayList.of(Name.of("insert"), Symbol.of("big"), part)));
                    }
                }
                RayTable o = other(rows, (int) Math.max(1000, rows / 5), r);
                client.execute(RayList.of(Name.of(".cluster.create"), Symbol.of("other"), o, Symbol.of("k"),
                        I64Atom.of(3), I64Atom.of(1)));
                oneServer.execute(RayList.of(Name.of("count"), RayList.of(Name.of("set"), Symbol.of("other"), o)));
                long loadMillis = (System.nanoTime() - t0) / 1_000_000;
                md.append(String.format(Locale.ROOT, "%,d rows in `big` (id i64, k i64, sym symbol of 100 skewed values, px f64, qty "
                        + "i64; 6 shards on id, replication 1) and %,d in `other` (k i64, w i64; 3 shards on k), loaded in %,d ms; "
                        + "3 node agents (engines with default cores, journaling) with ZooKeeper, a coordinator and the router in one "
                        + "JVM, queried through `ClusterClient`, vs one native server (default cores) holding the same rows, queried "
                        + "directly with the Java TCPClient; median of %d runs after one checked run, alternating; %s. Load average "
                        + "before: %s.%n%n", rows, o.rowCount(), loadMillis, runs, BenchArgs.machine(), loadBefore));
                md.append("| shape | one server ms | cluster ms | cluster / one server | bytes from the engines to the router "
                        + "| bytes from the router to the nodes | router memory budget peak | router JVM heap peak |\n"
                        + "|---|---|---|---|---|---|---|---|\n");
                for (Shape s : shapes().stream().filter(x -> x.name().contains(only)).toList()) {
                    md.append(run(s, client, oneServer, runs));
                    if (!s.rayfall().contains("(set ")) {
                        plans.append("`").append(s.name()).append("`:\n```\n").append(client.explain(s.rayfall())).append("\n```\n");
                        if (analyze) {
                            // one more run, with what each step moved and the slowest shard request
                            plans.append("```\n").append(client.execute(RayList.of(Name.of(".cluster.explain"),
                                    new io.rayforce.cluster.client.value.Str(s.rayfall()), Symbol.of("analyze")))).append("\n```\n");
                        }
                    }
                }
            } finally {
                for (NodeAgent n : nodes) {
                    n.close(); // before their ZooKeeper
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        String loadAfter = BenchArgs.loadAverage();
        System.out.println("load average after: " + loadAfter);
        md.append("\nLoad average after: ").append(loadAfter).append(".\n");
        md.append(plans);
        BenchArgs.publish(md.toString(), out);
    }

    private static String run(Shape s, ClusterClient client, TCPClient oneServer, int runs) {
        QueryOptions options = QueryOptions.DEFAULT.withTimeout(Duration.ofMinutes(10));
        RayValue expected = oneServer.execute(s.rayfall());
        QueryResult checked;
        try {
            checked = client.query(s.rayfall(), options);
            same(s, expected, checked.value(), oneServer);
        } catch (RuntimeException | AssertionError e) {
            return String.format(Locale.ROOT, "| %s: `%s` | | | failed: %s | | | | |%n", s.name(), s.rayfall(),
                    String.valueOf(e.getMessage()).replace('\n', ' ').replace('|', '/'));
        }
        Samples one = new Samples(runs);
        Samples cluster = new Samples(runs);
        long moved = checked.movedBytes();
        long sent = checked.sentBytes();
        long budgetPeak = checked.routerPeakBytes();
        long heapPeak = 0;
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            oneServer.execute(s.rayfall());
            one.add(System.nanoTime() - t0);
            HeapPeaks.reset();
            t0 = System.nanoTime();
            QueryResult q = client.query(s.rayfall(), options);
            cluster.add(System.nanoTime() - t0);
            heapPeak = Math.max(heapPeak, HeapPeaks.peak());
            budgetPeak = Math.max(budgetPeak, q.routerPeakBytes());
        }
        return String.format(Locale.ROOT, "| %s: `%s` | %.1f | %.1f | %.2fx | %,d | %,d | %,d | %,d |%n", s.name(), s.rayfall(),
                one.medianMillis(), cluster.medianMillis(), cluster.medianMillis() / one.medianMillis(), moved, sent,
                budgetPeak, heapPeak);
    }

    /** The answers equal; a join's by its rows (from large inputs one server's join keeps an order of its own). */
    private static void same(Shape s, RayValue expected, RayValue actual, TCPClient oneServer) {
        if (s.rayfall().contains("-join") && expected instanceof RayTable e && actual instanceof RayTable c
                && e.rowCount() == c.rowCount()) {
            SymbolVector all = SymbolVector.of(e.columnNames());
            SameAnswer.assertSame(s.name(), oneServer.execute(RayList.of(Name.of("xasc"), e, all)),
                    oneServer.execute(RayList.of(Name.of("xasc"), c, all)));
            return;
        }
        SameAnswer.assertSame(s.name(), expected, actual);
    }
}
