package io.rayforce.cluster.router.bench;

import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.router.ClusterClient;
import io.rayforce.cluster.router.gateway.Gateway;
import io.rayforce.cluster.router.gateway.GatewayOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Gateway overhead: the latency of tiny queries sent through the gateway (to a one-shard table
 * on one node) against the same queries sent straight to that node's engine, in the same run,
 * alternating blocks of requests so both see the same machine load. Reports p50, p90, p99 and
 * p99.9 per path and what the gateway adds. Run with {@code scripts/bench gateway [--requests N]}.
 */
public final class GatewayOverheadBenchmark {
    private record Case(String name, String viaGateway, String direct) {
    }

    private static final List<Case> CASES = List.of(
            new Case("count of a table", "(count t)", "(count t__0)"),
            new Case("select one row by key", "(select {px: px from: t where: (== id 7)})", "(select {px: px from: t__0 where: (== id 7)})"),
            new Case("group-by on 1000 rows", "(select {n: (count px) by: sym from: t})", "(select {n: (count px) by: sym from: t__0})"),
            new Case("scalar, no table (router's own engine)", "(+ 1 2)", "(+ 1 2)"));

    private GatewayOverheadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        BenchArgs a = new BenchArgs(args);
        int requests = a.intArg("--requests", 20_000);
        int block = 500;
        Path out = Path.of(a.stringArg("--out", "router/target/bench/gateway.md"));
        StringBuilder md = new StringBuilder();
        md.append("### Gateway overhead\n\n")
                .append(String.format(Locale.ROOT, "%,d requests per path and query, sequential on one connection each, Java "
                        + "TCPClient, alternating blocks of %d; one engine (default cores) holding a 1000-row table as its only "
                        + "shard; %s.%n%n", requests, block, BenchArgs.machine()))
                .append("| query | path | p50 ms | p90 ms | p99 ms | p99.9 ms | mean ms |\n|---|---|---|---|---|---|---|\n");
        StringBuilder added = new StringBuilder("\n| query | added at p50 ms | added at p99 ms |\n|---|---|---|\n");
        try (BenchCluster cluster = new BenchCluster(1, 0)) {
            cluster.sharded("t", "id", 1, "id:i64", "sym:symbol", "px:f64");
            cluster.node(0).execute("(count (set t__0 (table [id sym px __seq] (list (til 1000) (take [A B C D E F G H] 1000) "
                    + "(* 0.5 (til 1000)) (til 1000)))))");
            try (ClusterClient client = new ClusterClient(cluster);
                 Gateway gateway = new Gateway(client, GatewayOptions.DEFAULT).start("127.0.0.1", 0);
                 TCPClient viaGateway = new TCPClient("127.0.0.1", gateway.port());
                 TCPClient direct = new TCPClient("127.0.0.1", cluster.port(0))) {
                for (Case c : CASES) {
                    check(c, viaGateway.execute(c.viaGateway()), direct.execute(c.direct()));
                    Samples g = new Samples(requests);
                    Samples d = new Samples(requests);
                    for (int i = 0; i < 2_000; i++) { // warm up both paths
                        viaGateway.execute(c.viaGateway());
                        direct.execute(c.direct());
                    }
                    while (g.size() < requests) {
                        for (int i = 0; i < block; i++) {
                            long t0 = System.nanoTime();
                            viaGateway.execute(c.viaGateway());
                            g.add(System.nanoTime() - t0);
                        }
                        for (int i = 0; i < block; i++) {
                            long t0 = System.nanoTime();
                            direct.execute(c.direct());
                            d.add(System.nanoTime() - t0);
                        }
                    }
                    row(md, c.name() + ": `" + c.viaGateway() + "`", "gateway", g);
                    row(md, c.name() + ": `" + c.direct() + "`", "engine directly", d);
                    added.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f |%n", c.name(),
                            g.quantileMillis(0.5) - d.quantileMillis(0.5), g.quantileMillis(0.99) - d.quantileMillis(0.99)));
                }
            }
        }
        md.append(added);
        BenchArgs.publish(md.toString(), out);
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
