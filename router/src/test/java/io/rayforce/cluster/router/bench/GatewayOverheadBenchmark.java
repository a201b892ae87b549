package io.rayforce.cluster.router.bench;

import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.coordinator.meta.ClusterNaming;
import io.rayforce.cluster.coordinator.server.Coordinator;
import io.rayforce.cluster.coordinator.server.CoordinatorConfig;
import io.rayforce.cluster.coordinator.store.EmbeddedZooKeeper;
import io.rayforce.cluster.node.NodeAgent;
import io.rayforce.cluster.node.NodeConfig;
import io.rayforce.cluster.router.ClusterClient;
import io.rayforce.cluster.router.ZooKeeperPlacement;
import io.rayforce.cluster.router.gateway.Gateway;
import io.rayforce.cluster.router.gateway.GatewayOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.awaitility.Awaitility;

/**
 * Gateway overhead: the latency of tiny queries sent through the gateway (to a one-shard table
 * on one node) against the same queries sent straight to that node's engine, in the same run,
 * alternating blocks of requests so both see the same machine load. Reports p50, p90, p99 and
 * p99.9 per path and what the gateway adds. Run with {@code scripts/bench gateway [--requests N]
 * [--placement zookeeper|fixed]}: by default the cluster is a real one (an embedded ZooKeeper, a
 * coordinator, a node agent, placement and read locks through ZooKeeper); {@code fixed} gives the
 * router a placement held in memory (no ZooKeeper, so no read locks), to see what those cost.
 */
public final class GatewayOverheadBenchmark {
    /** A query through the gateway and its form for the engine; {@code {n}} in either is the request's number. */
    private record Case(String name, String viaGateway, String direct) {
        String gatewayText(long n) {
            return viaGateway.replace("{n}", Long.toString(n));
        }

        String directText(String shard, long n) {
            return direct.formatted(shard).replace("{n}", Long.toString(n));
        }
    }

    /** The direct forms name the shard's global on its engine: %s. */
    private static final List<Case> CASES = List.of(
            new Case("count of a table", "(count t)", "(count %s)"),
            new Case("select one row by key", "(select {px: px from: t where: (== id 7)})", "(select {px: px from: %s where: (== id 7)})"),
            new Case("group-by on 1000 rows", "(select {n: (count px) by: sym from: t})", "(select {n: (count px) by: sym from: %s})"),
            new Case("scalar, no table (router's own engine)", "(+ 1 2)", "(+ 1 2)"));
    private static final String ROWS = "(til 1000) (take [A B C D E F G H] 1000) (* 0.5 (til 1000))";

    private GatewayOverheadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        BenchArgs a = new BenchArgs(args);
        int requests = a.intArg("--requests", 20_000);
        only = a.stringArg("--only", "");
        String placement = a.stringArg("--placement", "zookeeper");
        Path out = Path.of(a.stringArg("--out", "router/target/bench/gateway" + (placement.equals("fixed") ? "-fixed" : "") + ".md"));
        StringBuilder md = new StringBuilder();
        md.append("### Gateway overhead (placement: ").append(placement).append(")\n\n");
        String setup = switch (placement) {
            case "fixed" -> "one engine (default cores) holding a 1000-row table as its only shard; the router's placement held "
                    + "in memory (no ZooKeeper, no read locks)";
            case "sharded" -> "three node agents (one engine each, default cores) holding a table in three shards, made with "
                    + ".cluster.create, against one server holding the same rows as one table; an embedded ZooKeeper and a "
                    + "coordinator, placement and read locks through ZooKeeper";
            default -> "one engine (default cores) holding a 1000-row table as its only shard; an embedded ZooKeeper, a "
                    + "coordinator and a node agent, placement and read locks through ZooKeeper";
        };
        md.append(String.format(Locale.ROOT, "%,d requests per path and query, sequential on one connection each, Java "
                        + "TCPClient, alternating blocks of %d; %s; %s.%n%n", requests, BLOCK, setup, BenchArgs.machine()))
                .append("| query | path | p50 ms | p90 ms | p99 ms | p99.9 ms | mean ms |\n|---|---|---|---|---|---|---|\n");
        StringBuilder added = new StringBuilder("\n| query | added at p50 ms | added at p99 ms |\n|---|---|---|\n");
        switch (placement) {
            case "fixed" -> {
                try (BenchCluster cluster = new BenchCluster(1, 0)) {
                    cluster.sharded("t", "id", 1, "id:i64", "sym:symbol", "px:f64");
                    String shard = ClusterNaming.shardGlobal("t", 0);
                    cluster.node(0).execute("(count (set " + shard + " (table [id sym px __seq] (list " + ROWS + " (til 1000)))))");
                    try (ClusterClient client = new ClusterClient(cluster)) {
                        measure(client, cluster.port(0), shard, requests, md, added);
                    }
                }
            }
            case "zookeeper" -> {
                Path dir = Files.createTempDirectory("bench-gateway");
                try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(0, null, EmbeddedZooKeeper.DEFAULT_TICK_MS);
                     Coordinator coordinator = Coordinator.start(CoordinatorConfig.defaults(zk.connectString()).withCluster("bench"));
                     NodeAgent node = NodeAgent.start(NodeConfig.builder(zk.connectString(), "bench", dir.resolve("n0"))
                             .nodeId("n0").capacityBytes(4L << 30).build());
                     ClusterClient client = ClusterClient.connect(zk.connectString(), "bench")) {
                    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> coordinator.isLeader()
                            && ((ZooKeeperPlacement) client.placement()).view().snapshot().nodes().size() == 1);
                    client.execute("(.cluster.create 't (table [id sym px] (list " + ROWS + ")) 'id 1 1)");
                    measure(client, node.ipcPort(), ClusterNaming.shardGlobal("t", 0), requests, md, added);
                }
            }
            case "sharded" -> sharded(a.intArg("--rows", 3_000_000), requests, md, added);
            default -> throw new IllegalArgumentException("--placement is zookeeper, fixed or sharded, not " + placement);
        }
        md.append(added).append(String.format(Locale.ROOT, "%nLoad average after: %s.%n", BenchArgs.loadAverage()));
        BenchArgs.publish(md.toString(), out);
    }

    private static final int BLOCK = 500;
    /** {@code --only TEXT}: only the queries whose name contains it. */
    private static String only = "";

    /** Small queries over a table sharded over three nodes against one server holding all of it. */
    private static final List<Case> SHARDED = List.of(
            new Case("count of a table", "(count t)", "(count t)"),
            new Case("select one row by shard key (one shard)", "(select {px: px from: t where: (== id 7)})",
                    "(select {px: px from: t where: (== id 7)})"),
            new Case("group-by, 200 groups", "(select {n: (count px) s: (sum qty) by: sym from: t})",
                    "(select {n: (count px) s: (sum qty) by: sym from: t})"),
            // another text each time (a filter every row passes): the cluster cannot answer it from its read cache
            new Case("group-by, 200 groups, a new query each time", "(select {n: (count px) s: (sum qty) by: sym from: t where: (> qty -{n})})",
                    "(select {n: (count px) s: (sum qty) by: sym from: t where: (> qty -{n})})"),
            new Case("filtered count", "(count (select {from: t where: (< qty 10)}))", "(count (select {from: t where: (< qty 10)}))"),
            new Case("scalar, no table", "(+ 1 2)", "(+ 1 2)"));

    /**
     * {@code --placement sharded}: three node agents (one engine each) holding a table of
     * {@code rows} rows in three shards, made with {@code .cluster.create}, against one server
     * holding the same rows as one table; the "small queries" comparison.
     */
    private static void sharded(int rows, int requests, StringBuilder md, StringBuilder added) throws Exception {
        try (ShardedAndOne both = new ShardedAndOne(rows)) {
            md.insert(md.indexOf("| query |"), String.format(Locale.ROOT, "%,d rows.%n%n", rows));
            measure(both.client, both.one.port(), "t", requests, md, added, SHARDED);
        }
    }

    /** Every case through a gateway over {@code client}, and straight to the engine on {@code enginePort}. */
    private static void measure(ClusterClient client, int enginePort, String shard, int requests, StringBuilder md,
            StringBuilder added) throws Exception {
        measure(client, enginePort, shard, requests, md, added, CASES);
    }

    private static void measure(ClusterClient client, int enginePort, String shard, int requests, StringBuilder md,
            StringBuilder added, List<Case> cases) throws Exception {
        try (Gateway gateway = new Gateway(client, GatewayOptions.DEFAULT).start("127.0.0.1", 0);
             TCPClient viaGateway = new TCPClient("127.0.0.1", gateway.port());
             TCPClient direct = new TCPClient("127.0.0.1", enginePort)) {
            long n = 1;
            for (Case c : cases.stream().filter(x -> x.name().contains(only)).toList()) {
                check(c, viaGateway.execute(c.gatewayText(n)), direct.execute(c.directText(shard, n)));
                Samples g = new Samples(requests);
                Samples d = new Samples(requests);
                for (int i = 0; i < 2_000; i++) { // warm up both paths
                    n++;
                    viaGateway.execute(c.gatewayText(n));
                    direct.execute(c.directText(shard, n));
                }
                while (g.size() < requests) {
                    for (int i = 0; i < BLOCK; i++) {
                        String text = c.gatewayText(++n);
                        long t0 = System.nanoTime();
                        viaGateway.execute(text);
                        g.add(System.nanoTime() - t0);
                    }
                    for (int i = 0; i < BLOCK; i++) {
                        String text = c.directText(shard, ++n);
                        long t0 = System.nanoTime();
                        direct.execute(text);
                        d.add(System.nanoTime() - t0);
                    }
                }
                row(md, c.name() + ": `" + c.viaGateway() + "`", "gateway", g);
                row(md, c.name() + ": `" + c.direct().formatted(shard) + "`", "engine directly", d);
                added.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f |%n", c.name(),
                        g.quantileMillis(0.5) - d.quantileMillis(0.5), g.quantileMillis(0.99) - d.quantileMillis(0.99)));
            }
        }
    }

    private static void row(StringBuilder md, String query, String path, Samples s) {
        md.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %.3f | %.3f | %.3f | %.3f |%n", query, path,
                s.quantileMillis(0.5), s.quantileMillis(0.9), s.quantileMillis(0.99), s.quantileMillis(0.999), s.meanMillis()));
    }

    /** Both paths must give the same answer. */
    private static void check(Case c, RayValue gateway, RayValue direct) {
        if (!gateway.equals(direct)) {
            throw new IllegalStateException(c.name() + ": the gateway answered " + gateway + " but the engine " + direct);
        }
    }
}
