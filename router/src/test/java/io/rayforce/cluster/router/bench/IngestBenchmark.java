package io.rayforce.cluster.router.bench;

import io.rayforce.cluster.client.ClientOptions;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.TimestampVector;
import io.rayforce.cluster.router.gateway.Gateway;
import io.rayforce.cluster.router.gateway.GatewayOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Ingest: a table of {@code rows} rows (symbol, f64, i64, timestamp) sent as one binary value,
 * into one server with {@code set} and into the 3-node cluster's gateway with
 * {@code .cluster.create} (sharded by the symbol, 6 shards, replication {@code --replication}),
 * taking turns, each run a new table. Reports the best and median times and rows/s, and the
 * cluster's rate as a fraction of one server's. Run with
 * {@code scripts/bench ingest [--rows N --runs N --replication R]}.
 */
public final class IngestBenchmark {
    private IngestBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        BenchArgs a = new BenchArgs(args);
        int rows = a.intArg("--rows", 5_000_000);
        int runs = a.intArg("--runs", 3);
        int replication = a.intArg("--replication", 2);
        Path out = Path.of(a.stringArg("--out", "router/target/bench/ingest.md"));
        RayTable table = table(rows);
        ClientOptions big = ClientOptions.DEFAULT.withMaxFrameBytes(Integer.MAX_VALUE - 8);
        Samples cluster = new Samples(runs);
        Samples one = new Samples(runs);
        String machine = BenchArgs.machine(); // with the load average before the runs
        try (ShardedAndOne both = new ShardedAndOne(1_000);
             Gateway gateway = new Gateway(both.client, GatewayOptions.DEFAULT.withQueryTimeout(Duration.ofMinutes(5)))
                     .start("127.0.0.1", 0);
             TCPClient viaGateway = new TCPClient("127.0.0.1", gateway.port(), big);
             TCPClient direct = new TCPClient(both.one.host(), both.one.port(), big)) {
            for (int r = 0; r < runs; r++) {
                String name = "ingest" + r;
                long t0 = System.nanoTime();
                viaGateway.execute(RayList.of(Name.of(".cluster.create"), Symbol.of(name), table, Symbol.of("sym"), I64Atom.of(6),
                        I64Atom.of(replication)));
                cluster.add(System.nanoTime() - t0);
                t0 = System.nanoTime();
                direct.execute(RayList.of(Name.of("count"), RayList.of(Name.of("set"), Name.of(name), table)));
                one.add(System.nanoTime() - t0);
                viaGateway.execute("(.cluster.drop '" + name + ")");
                direct.execute("(del " + name + ")");
            }
        }
        StringBuilder md = new StringBuilder("### Ingest\n\n");
        md.append(String.format(Locale.ROOT, "A %,d-row table (symbol, f64, i64, timestamp) sent as one value: into one server with "
                + "`set`, and through the gateway with `.cluster.create` (3 node agents, 6 shards by the symbol, replication %d); "
                + "%d runs each, taking turns; %s (before the runs); load average after: %s.%n%n", rows, replication, runs,
                machine, BenchArgs.loadAverage()))
                .append("| path | best s | median s | rows/s (best) |\n|---|---|---|---|\n");
        row(md, "one server, set", one, rows);
        row(md, "cluster, .cluster.create", cluster, rows);
        md.append(String.format(Locale.ROOT, "%nThe cluster ingests at %.2fx one server's rate (best runs).%n",
                one.minMillis() / cluster.minMillis()));
        BenchArgs.publish(md.toString(), out);
    }

    private static void row(StringBuilder md, String path, Samples s, int rows) {
        md.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %,.0f |%n", path, s.minMillis() / 1e3, s.medianMillis() / 1e3,
                rows / (s.minMillis() / 1e3)));
    }

    private static RayTable table(int rows) {
        SplittableRandom r = new SplittableRandom(7);
        String[] sym = new String[rows];
        double[] px = new double[rows];
        long[] qty = new long[rows];
        long[] ts = new long[rows];
        long start = 789_000_000_000_000_000L;
        for (int i = 0; i < rows; i++) {
            sym[i] = "S" + r.nextInt(500);
            px[i] = Math.round(r.nextDouble() * 50_000) / 100.0;
            qty[i] = r.nextInt(1_000);
            ts[i] = start + i * 1_000_000L;
        }
        return RayTable.builder().column("sym", new SymbolVector(sym)).column("px", new F64Vector(px))
                .column("qty", new I64Vector(qty)).column("ts", new TimestampVector(ts)).build();
    }
}
