package io.rayforce.cluster.deploy;

import io.rayforce.cluster.client.ClientOptions;
import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.engine.NativeServer;
import io.rayforce.cluster.client.engine.ServerOptions;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.router.gateway.GatewayOptions;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rfc demo}: starts a local cluster, loads generated trades, quotes and an instruments
 * table, and runs sharded selects, group-bys, each join kind and an ipcsave through the gateway
 * with the Java TCPClient, printing the first rows and timings, beside the same queries'
 * timings (and answers) on one native server holding the same data.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Start a local cluster (embedded ZooKeeper, a coordinator, nodes, a gateway), load generated "
                + "trades, quotes and instruments, run selects, group-bys, joins and an ipcsave through the gateway "
                + "with the Java TCPClient, and compare answers and timings with one native server.")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--nodes", defaultValue = "3", paramLabel = "N", description = "Nodes (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--replication", defaultValue = "2", paramLabel = "R",
            description = "Replicas per shard (default: ${DEFAULT-VALUE}).")
    int replication;

    @Option(names = "--shards", defaultValue = "0", paramLabel = "S",
            description = "Shards of trades and quotes (default: 2 per node).")
    int shards;

    @Option(names = "--trades", defaultValue = "3000000", paramLabel = "ROWS", description = "Trade rows (default: ${DEFAULT-VALUE}).")
    int trades;

    @Option(names = "--quotes", defaultValue = "3000000", paramLabel = "ROWS", description = "Quote rows (default: ${DEFAULT-VALUE}).")
    int quotes;

    @Option(names = "--cores", defaultValue = "0", paramLabel = "N",
            description = "Worker threads per engine, the cluster's and the single server's (default: the engine's choice).")
    int cores;

    @Option(names = "--runs", defaultValue = "3", paramLabel = "N",
            description = "Runs per query; the median time is shown (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--metrics-port", defaultValue = "9464", paramLabel = "P",
            description = "Serve the cluster's Prometheus metrics at http://127.0.0.1:P/metrics and its status page at /status "
                    + "while the demo runs; 0 or taken: a free port; -1 for none (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(names = "--rows", defaultValue = "5", paramLabel = "N", description = "Rows shown per result (default: ${DEFAULT-VALUE}).")
    int rowsShown;

    private PrintStream out;

    /** One query of the demo. */
    record DemoQuery(String title, String rayfall, boolean repeatable) {
    }

    /** What the demo runs, in order. */
    static List<DemoQuery> queries() {
        String bigTrades = "(select {sym: sym ts: ts px: px qty: qty from: trades where: (> qty 990)})";
        return List.of(
                new DemoQuery("row count", "(count trades)", true),
                new DemoQuery("select on the shard key (one shard)",
                        "(select {sym: sym px: px qty: qty ts: ts from: trades where: (and (== sym 'NVDA) (> qty 995))})", true),
                new DemoQuery("select on every shard, ordered, top 10",
                        "(select {sym: sym px: px qty: qty ts: ts from: trades where: (> px 400.0) desc: qty take: 10})", true),
                new DemoQuery("aggregate over all rows",
                        "(select {n: (count px) volume: (sum qty) avg: (avg px) lo: (min px) hi: (max px) from: trades})", true),
                new DemoQuery("group-by symbol",
                        "(select {n: (count px) volume: (sum qty) avg: (avg px) lo: (min px) hi: (max px) by: sym from: trades})", true),
                new DemoQuery("group-by two keys, ordered, top 5",
                        "(select {volume: (sum qty) by: [sym side] from: trades desc: volume take: 5})", true),
                new DemoQuery("left join with the instruments (replicated)",
                        "(left-join [sym] " + bigTrades + " instruments)", true),
                new DemoQuery("inner join with the instruments",
                        "(inner-join [sym] (select {sym: sym px: px qty: qty from: trades where: (> qty 998)}) instruments)", true),
                new DemoQuery("asof join: the quote in force at each trade (co-located on sym)",
                        "(asof-join [sym ts] " + bigTrades + " quotes)", true),
                new DemoQuery("window join: quotes in the minute before each trade",
                        "(window-join [sym ts] (list (- (at " + bigTrades + " 'ts) 60000000000) (at " + bigTrades + " 'ts)) "
                                + bigTrades + " quotes {n: (count bid) lo: (min bid) hi: (max ask)})", true),
                new DemoQuery("ipcsave: store the large trades as a new table",
                        "(count (set bigtrades " + bigTrades + "))", false),
                new DemoQuery("query the saved table",
                        "(select {n: (count px) volume: (sum qty) by: sym from: bigtrades desc: volume take: 5})", true));
    }

    @Override
    public Integer call() {
        out = System.out;
        int shardCount = shards > 0 ? shards : 2 * nodes;
        out.printf(Locale.ROOT, "rfc demo: %d nodes, replication %d, %d shards; %,d trades, %,d quotes, %d instruments%n",
                nodes, replication, shardCount, trades, quotes, DemoData.SYMBOLS);
        long t0 = System.nanoTime();
        RayTable tradeRows = DemoData.trades(trades, 1);
        RayTable quoteRows = DemoData.quotes(quotes, 2);
        RayTable instrumentRows = DemoData.instruments();
        out.printf(Locale.ROOT, "generated the data in %.1f s%n", seconds(t0));

        ClientOptions big = ClientOptions.DEFAULT.withMaxFrameBytes(Integer.MAX_VALUE - 8);
        GatewayOptions gatewayOptions = GatewayOptions.DEFAULT.withQueryTimeout(Duration.ofMinutes(5));
        t0 = System.nanoTime();
        try (LocalCluster cluster = LocalCluster.start(new LocalCluster.Settings(nodes, replication, 0, null, cores, gatewayOptions));
             NativeServer single = NativeServer.startOnFreePort(ServerOptions.onPort(1).bind("127.0.0.1").cores(cores));
             TCPClient gateway = new TCPClient("127.0.0.1", cluster.gatewayPort(), big);
             TCPClient one = new TCPClient(single.host(), single.port(), big);
             GatewayEndpoint endpoint = metricsPort < 0 ? null : GatewayEndpoint.startOnAnyPort("127.0.0.1", metricsPort, cluster.client())) {
            out.printf(Locale.ROOT, "local cluster up in %.1f s: gateway on 127.0.0.1:%d, ZooKeeper at %s; one native server on %s:%d%n",
                    seconds(t0), cluster.gatewayPort(), cluster.zookeeper(), single.host(), single.port());
            if (endpoint != null) {
                endpoint.printReady(out);
            }

            t0 = System.nanoTime();
            load(gateway, call(".cluster.create", Symbol.of("trades"), tradeRows, Symbol.of("sym"), new I64Atom(shardCount),
                    new I64Atom(replication)));
            load(gateway, call(".cluster.create", Symbol.of("quotes"), quoteRows, Symbol.of("sym"), new I64Atom(shardCount),
                    new I64Atom(replication)));
            load(gateway, call(".cluster.createReplicated", Symbol.of("instruments"), instrumentRows));
            out.printf(Locale.ROOT, "loaded the cluster through the gateway in %.1f s (.cluster.create / .cluster.createReplicated)%n",
                    seconds(t0));
            t0 = System.nanoTime();
            for (String name : List.of("trades", "quotes", "instruments")) {
                RayTable rows = name.equals("trades") ? tradeRows : name.equals("quotes") ? quoteRows : instrumentRows;
                one.execute(call("count", call("set", Name.of(name), rows)));
            }
            out.printf(Locale.ROOT, "loaded the single server in %.1f s%n", seconds(t0));
            out.println(Tables.render(gateway.execute("(.cluster.tables)"), 10));

            List<String[]> summary = new ArrayList<>();
            for (DemoQuery q : queries()) {
                summary.add(run(q, gateway, one));
            }
            printSummary(summary);
        }
        out.println("\nstopped the local cluster and the single server");
        return 0;
    }

    /** Runs one query on both sides, prints its first rows and times; returns its summary row. */
    private String[] run(DemoQuery q, TCPClient gateway, TCPClient one) {
        int n = q.repeatable() ? Math.max(1, runs) : 1;
        long[] clusterNanos = new long[n];
        long[] singleNanos = new long[n];
        RayValue clusterAnswer = null;
        RayValue singleAnswer = null;
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            clusterAnswer = gateway.execute(q.rayfall());
            clusterNanos[i] = System.nanoTime() - t0;
            t0 = System.nanoTime();
            singleAnswer = one.execute(q.rayfall());
            singleNanos[i] = System.nanoTime() - t0;
        }
        double clusterMs = median(clusterNanos) / 1e6;
        double singleMs = median(singleNanos) / 1e6;
        boolean same = Answers.same(singleAnswer, clusterAnswer);
        out.println();
        out.println("== " + q.title());
        out.println("> " + q.rayfall());
        out.printf(Locale.ROOT, "cluster %.1f ms | one server %.1f ms | same answer as one server: %s%s%n", clusterMs, singleMs,
                same ? "yes" : "NO", clusterAnswer instanceof RayTable t ? " | " + t.rowCount() + " rows" : "");
        out.println(Tables.render(clusterAnswer, rowsShown));
        return new String[] {q.title(), String.format(Locale.ROOT, "%.1f", clusterMs), String.format(Locale.ROOT, "%.1f", singleMs),
            same ? "yes" : "NO"};
    }

    private void printSummary(List<String[]> rows) {
        out.println();
        out.println("== summary (median of " + Math.max(1, runs) + " runs; cluster = through the gateway, "
                + "one server = the same query sent to one native server)");
        out.printf(Locale.ROOT, "%-64s %12s %12s  %s%n", "query", "cluster ms", "one srv ms", "same");
        for (String[] r : rows) {
            out.printf(Locale.ROOT, "%-64s %12s %12s  %s%n", r[0], r[1], r[2], r[3]);
        }
    }

    /** Sends a load through the gateway; a failure says why, from {@code (.cluster.lastError)}, not only its code. */
    private static void load(TCPClient gateway, RayList request) {
        try {
            gateway.execute(request);
        } catch (RayforceEvaluationError e) {
            throw new IllegalStateException("loading through the gateway failed (" + e.code() + "): "
                    + gateway.execute("(.cluster.lastError)"), e);
        }
    }

    private static RayList call(String function, RayValue... args) {
        RayValue[] items = new RayValue[args.length + 1];
        items[0] = Name.of(function);
        System.arraycopy(args, 0, items, 1, args.length);
        return RayList.of(items);
    }

    private static long median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
