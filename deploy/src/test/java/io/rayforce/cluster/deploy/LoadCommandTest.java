package io.rayforce.cluster.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.ClientOptions;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.engine.NativeServer;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.router.gateway.GatewayOptions;
import io.rayforce.cluster.router.load.LoadTestFiles;
import io.rayforce.cluster.router.testing.SameAnswer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code rfc load} as a user runs it (a child JVM) against a real local cluster (embedded
 * ZooKeeper, the coordinator, three node agents with their engines, the gateway): a CSV file of
 * {@code load.rows} rows (1,000,000 by default; {@code scripts/load-10m} runs 10,000,000) loaded
 * with the progress bar drawn, then checked against one native server that read the same file
 * with its own reader; bad rows refused and skipped with their lines; a Parquet file.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoadCommandTest {
    private static final long ROWS = Long.getLong("load.rows", 1_000_000);

    private LocalCluster cluster;
    private NativeServer single;
    private TCPClient gateway;
    private TCPClient oracle;
    private Path dir;

    @BeforeAll
    void start() throws IOException {
        cluster = LocalCluster.start(new LocalCluster.Settings(3, 2, 0, null, 0, GatewayOptions.DEFAULT
                .withQueryTimeout(Duration.ofMinutes(5))));
        single = NativeServer.startOnFreePort();
        ClientOptions big = ClientOptions.DEFAULT.withMaxFrameBytes(Integer.MAX_VALUE - 8).withRequestTimeout(Duration.ofMinutes(5));
        gateway = new TCPClient("127.0.0.1", cluster.gatewayPort(), big);
        oracle = new TCPClient(single.host(), single.port(), big);
        dir = Files.createTempDirectory("rfc-load");
    }

    @AfterAll
    void stop() throws IOException {
        gateway.close();
        oracle.close();
        single.close();
        cluster.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Runs {@code rfc load ...} against the cluster's gateway; answers its exit code and output. */
    private Result rfcLoad(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("load", "--gateway", "127.0.0.1:" + cluster.gatewayPort()));
        cmd.addAll(List.of(args));
        Process p = RfcProcess.start(cmd.toArray(new String[0]));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            RfcProcess.kill(p);
        }
        return new Result(p.exitValue(), out);
    }

    private record Result(int exit, String output) {
    }

    private void sameAsOracle(String query) {
        SameAnswer.assertSame(query, oracle.execute(query), gateway.execute(query));
    }

    @Test
    void aLargeCsvLoadsWithProgressAndAnswersLikeOneServer() throws Exception {
        Path csv = LoadTestFiles.trades(dir.resolve("trades.csv"), ROWS, 3);
        long started = System.nanoTime();
        Result r = rfcLoad(csv.toString(), "--table", "trades", "--shard-key", "sym", "--shards", "6", "--replication", "2",
                "--progress", "always");
        double seconds = (System.nanoTime() - started) / 1e9;
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("loading trades [").contains("rows/s").contains("ETA").contains(" MB")
                .contains(String.format(java.util.Locale.ROOT, "loaded %,d rows into trades (created)", ROWS));
        System.out.printf("rfc load: %,d rows, %.1f MB, in %.1f s with the JVM's start (%.0f rows/s)%n", ROWS, Files.size(csv) / 1e6,
                seconds, ROWS / seconds);

        oracle.execute("(set trades (.csv.read \"" + csv + "\"))");
        assertThat(gateway.execute("(count trades)")).isEqualTo(I64Atom.of(ROWS));
        sameAsOracle("(map type (value (take trades 1)))");
        sameAsOracle("(select {from: trades where: (< id 1000)})");
        sameAsOracle("(select {from: trades where: (>= id " + (ROWS - 1000) + ")})");
        sameAsOracle("(select {n: (count id) q: (sum qty) lo: (min px) hi: (max px) f: (first ts) l: (last ts) by: sym "
                + "from: trades asc: sym})");
        sameAsOracle("(select {n: (count id) q: (sum qty) by: [d flag] from: trades})");
        sameAsOracle("(select {s: (sum px) v: (sum qty) lo: (min t) hi: (max ts) from: trades})");
        sameAsOracle("(select {id: id sym: sym px: px from: trades where: (and (== sym 'S7) (> qty 990)) desc: px take: 25})");
        gateway.execute("(.cluster.drop 'trades)");
    }

    @Test
    void badRowsAreRefusedWholeOrSkippedWithTheirLines() throws Exception {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "id,px\n1,1.5\n2,oops\n3,3.5\n4,4.5,extra\n5,5.5\n");
        Result refused = rfcLoad(bad.toString(), "--table", "bad", "--shard-key", "id", "--columns", "id:i64,px:f64");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.output()).contains("bad.csv:3").contains("'oops' is not a number").contains("nothing was loaded");
        RayTable tables = (RayTable) gateway.execute("(.cluster.tables)");
        assertThat(((SymbolVector) tables.column("name")).toList()).doesNotContain("bad");

        Result skipped = rfcLoad(bad.toString(), "--table", "bad", "--shard-key", "id", "--columns", "id:i64,px:f64", "--skip-bad");
        assertThat(skipped.exit()).as(skipped.output()).isZero();
        assertThat(skipped.output()).contains("loaded 3 rows into bad (created)").contains("2 bad rows skipped")
                .contains("skipped " + bad + ":3: field 2 'oops' is not a number")
                .contains("skipped " + bad + ":5: 3 fields where the file has 2 columns");
        oracle.execute("(set bad (table [id px] (list [1 3 5] [1.5 3.5 5.5])))");
        sameAsOracle("bad");
        gateway.execute("(.cluster.drop 'bad)");
    }

    @Test
    void parquetAndAppendingToTheTable() throws Exception {
        Path pq = LoadTestFiles.tradesParquet(dir.resolve("t.parquet"), 50_000, 5);
        Result r = rfcLoad(pq.toString(), pq.toString(), "--table", "pq", "--replicated", "--progress", "never");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("loaded 100,000 rows into pq (created) from 2 file(s)");
        oracle.execute("(set pq (.parquet.read \"" + pq + "\"))");
        oracle.execute("(insert 'pq (.parquet.read \"" + pq + "\"))");
        sameAsOracle("pq");
        // into the existing table: its types, no creation
        Result more = rfcLoad(pq.toString(), "--table", "pq");
        assertThat(more.output()).contains("loaded 50,000 rows into pq from 1 file(s)");
        assertThat(gateway.execute("(count pq)")).isEqualTo(I64Atom.of(150_000));
        Result missing = rfcLoad(pq.toString(), "--table", "nosuch");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.output()).contains("there is no table nosuch").contains("--shard-key");
        gateway.execute("(.cluster.drop 'pq)");
    }
}
