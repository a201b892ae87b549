package io.rayforce.cluster.router.bench;

import static org.awaitility.Awaitility.await;

import io.rayforce.cluster.client.ClientOptions;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.coordinator.meta.ClusterNaming;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
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
import io.rayforce.cluster.router.testing.SameAnswer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * Scale-out efficiency: the same queries over N rows on one native server holding everything,
 * and on 2 shards on 2 nodes through the gateway, every engine limited to one core ({@code -c 1})
 * so the comparison is fair on a 2-core machine. The cluster is a real one (an embedded ZooKeeper,
 * a coordinator, 2 node agents, the table made with {@code .cluster.create}), so reads hold read
 * leases and reuse what they may while the table is unchanged, as in a deployment; each shard's
 * half of the rows is set on its engine directly. Each shard holds half the rows; a 100-row
 * dimension table is on every node. The answers are checked equal, then timed alternately
 * (median and best of the runs). A control sends each shard's part straight to the two engines
 * at once, with no router: it shows what the machine itself allows at that moment. Run with {@code scripts/bench scaleout [--rows N --runs N]}.
 */
public final class ScaleOutBenchmark {
    private record Query(String name, String rayfall) {
    }

    private static final List<Query> QUERIES = List.of(
            new Query("scan and aggregate", "(select {s: (sum qty) n: (count qty) hi: (max qty) from: t})"),
            new Query("filtered scan and aggregate (10% of rows)", "(select {s: (sum qty) n: (count qty) from: t where: (> px 900.0)})"),
            new Query("scan and aggregate, avg/min/max", "(select {s: (sum qty) a: (avg px) lo: (min px) hi: (max px) from: t})"),
            new Query("group-by (100 groups)", "(select {s: (sum qty) n: (count qty) by: sym from: t})"),
            new Query("group-by (100 groups), avg/max", "(select {s: (sum qty) a: (avg px) hi: (max px) by: sym from: t})"),
            new Query("filter + join with a replicated dimension (0.5% of rows)",
                    "(inner-join [sym] (select {id: id sym: sym qty: qty from: t where: (< qty 5)}) dim)"));

    private ScaleOutBenchmark() {
    }

    /** Rayfall building rows [lo, lo+n) of the benchmark table: id, sym (100 symbols), px, qty, and __seq = id. */
    private static String rows(long lo, long n, boolean withSeq) {
        StringBuilder syms = new StringBuilder("[");
        for (int i = 0; i < 100; i++) {
            syms.append(i == 0 ? "" : " ").append("S").append(i);
        }
        syms.append(']');
        return "((fn [ids] (table [id sym px qty" + (withSeq ? " __seq" : "") + "] (list ids (at " + syms + " (% ids 100)) "
                + "(* 0.01 (as 'F64 (% (* ids 7919) 100000))) (% (* ids 31) 1000)" + (withSeq ? " ids" : "") + "))) (+ " + lo
                + " (til " + n + ")))";
    }

    private static String dim() {
        StringBuilder syms = new StringBuilder("[");
        StringBuilder sectors = new StringBuilder("[");
        StringBuilder lots = new StringBuilder("[");
        String[] names = {"tech", "finance", "health", "energy"};
        for (int i = 0; i < 100; i++) {
            syms.append(i == 0 ? "" : " ").append("S").append(i);
            sectors.append(i == 0 ? "" : " ").append(names[i % names.length]);
            lots.append(i == 0 ? "" : " ").append(i % 3 == 0 ? 100 : 10);
        }
        return "(table [sym sector lot] (list " + syms + "] " + sectors + "] " + lots + "]))";
    }

    /** The query as it would run on shard {@code s} alone (the control: no router, no merge). */
    private static String onShard(String rayfall, int s) {
        return rayfall.replace("from: t", "from: " + BenchCluster.global("t", s)).replace(" dim)", " " + BenchCluster.global("dim", 0) + ")");
    }

    public static void main(String[] args) throws Exception {
        // each run computes its query: the same query again on an unchanged table would be answered from the read cache
        System.setProperty(Planner.REUSE_ANSWERS_PROPERTY, "false");
        BenchArgs a = new BenchArgs(args);
        long rows = a.intArg("--rows", 20_000_000);
        int runs = a.intArg("--runs", 7);
        String only = a.stringArg("--only", "");
        Path out = Path.of(a.stringArg("--out", "router/target/bench/scaleout.md"));
        ClientOptions big = ClientOptions.DEFAULT.withMaxFrameBytes(Integer.MAX_VALUE - 8);
        StringBuilder md = new StringBuilder("### Scale-out efficiency\n\n");
        md.append(String.format(Locale.ROOT, "%,d rows (id i64, sym symbol, px f64, qty i64); one native server `-c 1` holding "
                + "everything, queried directly, vs 2 shards on 2 node agents (`-c 1` each, %,d rows per shard; ZooKeeper, a "
                + "coordinator) queried through the gateway with the Java TCPClient; median and best of %d runs after one warm-up run, the two set-ups alternating; %s.%n%n",
                rows, rows / 2, runs, BenchArgs.machine()));
        md.append("| query | one server ms (median / best) | 2 shards through the gateway ms (median / best) | speed-up "
                + "(median / best) | control: the 2 shard engines alone, in parallel, ms (median / best) | control speed-up "
                + "(median / best) |\n|---|---|---|---|---|---|\n");
        StringBuilder plans = new StringBuilder("\nPlans (the cluster side):\n\n");
        Path dir = Files.createTempDirectory("bench-scaleout");
        String cluster = "s" + Long.toHexString(System.nanoTime());
        List<NodeAgent> agents = new ArrayList<>();
        List<TCPClient> engines = new ArrayList<>();
        try (BenchCluster single = new BenchCluster(1, 1); EmbeddedZooKeeper zk = EmbeddedZooKeeper.start()) {
            single.node(0).execute("(count (set t " + rows(0, rows, false) + "))");
            single.node(0).execute("(count (set dim " + dim() + "))");
            for (int i = 0; i < 2; i++) {
                agents.add(NodeAgent.start(NodeConfig.builder(zk.connectString(), cluster, dir.resolve("n" + i)).nodeId("n" + i)
                        .cores(1).capacityBytes(8L << 30).controlBind("127.0.0.1").build()));
            }
            try (Coordinator coordinator = Coordinator.start(CoordinatorConfig.defaults(zk.connectString()).withCluster(cluster));
                 ClusterClient client = ClusterClient.connect(zk.connectString(), cluster)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> coordinator.isLeader()
                        && ((ZooKeeperPlacement) client.placement()).view().snapshot().nodes().size() == 2);
                client.execute("(.cluster.create 't (table [id sym px qty] (list (as 'I64 []) (as 'SYM []) (as 'F64 []) "
                        + "(as 'I64 []))) 'id 2 1)");
                client.execute("(.cluster.createReplicated 'dim " + dim() + ")");
                ClusterSnapshot snap = ((ZooKeeperPlacement) client.placement()).snapshot();
                for (int s = 0; s < 2; s++) {
                    // each shard's rows set on the engine that holds it, a contiguous half (the queries do not filter on id)
                    String node = snap.shard("t", s).getReplicas(0).getNodeId();
                    TCPClient engine = new TCPClient("127.0.0.1", agents.get(Integer.parseInt(node.substring(1))).ipcPort(), big);
                    engines.add(engine);
                    long lo = s * (rows / 2);
                    long n = s == 0 ? rows / 2 : rows - rows / 2;
                    engine.execute("(count (set " + ClusterNaming.shardGlobal("t", s) + " " + rows(lo, n, true) + "))");
                }
                runQueries(client, single, engines, only, runs, md, plans, big);
            } finally {
                engines.forEach(TCPClient::close);
                for (NodeAgent agent : agents) {
                    agent.close(); // before their ZooKeeper
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        md.append(plans);
        BenchArgs.publish(md.toString(), out);
    }

    /** Each query on one server and through a gateway of the cluster, alternately, with the shards' engines alone as the control. */
    private static void runQueries(ClusterClient client, BenchCluster single, List<TCPClient> shardEngines, String only, int runs,
            StringBuilder md, StringBuilder plans, ClientOptions big) throws Exception {
        try (Gateway gateway = new Gateway(client, GatewayOptions.DEFAULT).start("127.0.0.1", 0);
             TCPClient viaGateway = new TCPClient("127.0.0.1", gateway.port(), big);
             TCPClient oneServer = new TCPClient("127.0.0.1", single.port(0), big)) {
                for (Query q : QUERIES.stream().filter(x -> x.name().contains(only)).toList()) {
                    RayValue expected = oneServer.execute(q.rayfall());
                    RayValue actual = viaGateway.execute(q.rayfall());
                    SameAnswer.assertSame(q.name(), expected, actual);
                    Samples one = new Samples(runs);
                    Samples cluster = new Samples(runs);
                    Samples engines = new Samples(runs);
                    for (int i = 0; i < runs; i++) {
                        long t0 = System.nanoTime();
                        oneServer.execute(q.rayfall());
                        one.add(System.nanoTime() - t0);
                        t0 = System.nanoTime();
                        viaGateway.execute(q.rayfall());
                        cluster.add(System.nanoTime() - t0);
                        t0 = System.nanoTime();
                        CompletableFuture<?> s0 = shardEngines.get(0).submit(onShard(q.rayfall(), 0));
                        CompletableFuture<?> s1 = shardEngines.get(1).submit(onShard(q.rayfall(), 1));
                        CompletableFuture.allOf(s0, s1).join();
                        engines.add(System.nanoTime() - t0);
                    }
                    md.append(String.format(Locale.ROOT, "| %s: `%s` | %.1f / %.1f | %.1f / %.1f | %.2fx / %.2fx | %.1f / %.1f "
                            + "| %.2fx / %.2fx |%n", q.name(), q.rayfall(), one.medianMillis(), one.minMillis(),
                            cluster.medianMillis(), cluster.minMillis(), one.medianMillis() / cluster.medianMillis(),
                            one.minMillis() / cluster.minMillis(), engines.medianMillis(), engines.minMillis(),
                            one.medianMillis() / engines.medianMillis(), one.minMillis() / engines.minMillis()));
                    plans.append("```\n").append(client.explain(q.rayfall())).append("\n```\n");
                }
        }
    }
}
