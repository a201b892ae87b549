package io.rayforce.cluster.router.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.value.BoolAtom;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.router.QueryOptions;
import io.rayforce.cluster.router.exec.UnsupportedQueryError;
import io.rayforce.cluster.router.gateway.Gateway;
import io.rayforce.cluster.router.gateway.GatewayOptions;
import io.rayforce.cluster.router.load.LoadTestFiles;
import io.rayforce.cluster.router.testing.SameAnswer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Loading files into a real cluster (3 nodes with their engines, ZooKeeper, the coordinator)
 * with {@code .cluster.loadFile} and the load functions fed in pieces, checked against one
 * native server that read the same file with its own reader ({@code .csv.read}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FileLoadTest {
    /** Rows of the main CSV file; {@code -Dload.rows=N} for more. */
    private static final long ROWS = Long.getLong("load.rows", 200_000);

    private WriteCluster c;
    private Path dir;
    private Path trades;
    private Gateway gateway;
    private TCPClient ipc;

    @BeforeAll
    void start() throws IOException {
        c = new WriteCluster(3);
        dir = Files.createTempDirectory("load-dir");
        trades = LoadTestFiles.trades(dir.resolve("trades.csv"), ROWS, 7);
        c.client.loadDirectory(dir);
        gateway = new Gateway(c.client, GatewayOptions.DEFAULT).start("127.0.0.1", 0);
        ipc = new TCPClient("127.0.0.1", gateway.port());
    }

    @AfterAll
    void stop() throws IOException {
        ipc.close();
        gateway.close();
        c.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private void sameAsOracle(String query) {
        SameAnswer.assertSame(query, c.oracle.execute(query), c.client.execute(query));
    }

    @Test
    void csvLoadedLikeOneServerReadingIt() {
        RayDict answer = (RayDict) c.client.execute("(.cluster.loadFile 'trades \"trades.csv\" {shardKey: 'sym shards: 6 "
                + "replication: 2 chunkRows: 50000})");
        assertThat(answer.get("rows")).isEqualTo(I64Atom.of(ROWS));
        assertThat(answer.get("created")).isEqualTo(new BoolAtom(true));
        assertThat(answer.get("skipped")).isEqualTo(I64Atom.of(0));
        c.oracle.execute("(set trades (.csv.read \"" + trades + "\"))");

        RayTable cols = (RayTable) ((RayDict) c.client.execute("(.cluster.describe 'trades)")).get("columns");
        assertThat(String.join(" ", ((SymbolVector) cols.column("type")).toList())).isEqualTo(LoadTestFiles.TYPES);
        assertThat(c.oracle.execute("(map type (value (take trades 1)))").toString())
                .as("the engine infers the same types").contains("TIMESTAMP");
        sameAsOracle("(count trades)");
        sameAsOracle("(select {from: trades where: (< id 2000)})");
        sameAsOracle("(select {from: trades where: (> id " + (ROWS - 2000) + ")})");
        // a large group-by's symbol order follows the server's symbol ids, which a CSV read assigns its own way
        // (docs/planner.md): compare it sorted
        sameAsOracle("(select {n: (count id) q: (sum qty) hi: (max px) lo: (min ts) by: sym from: trades asc: sym})");
        sameAsOracle("(select {n: (count id) by: [flag d] from: trades})");
        sameAsOracle("(select {s: (sum px) a: (avg qty) f: (first ts) l: (last t) from: trades})");
        sameAsOracle("(select {id: id px: px from: trades where: (== sym 'S3) desc: px take: 20})");
        // every row once, on both replicas of its shard
        RayTable replicas = (RayTable) ((RayDict) c.client.execute("(.cluster.describe 'trades)")).get("replicas");
        long copies = 0;
        I64Vector r = (I64Vector) replicas.column("rows");
        for (int i = 0; i < r.length(); i++) {
            copies += r.get(i);
        }
        assertThat(copies).isEqualTo(2 * ROWS);
        c.client.execute("(.cluster.drop 'trades)");
    }

    @Test
    void parquetLoadedLikeOneServerReadingIt() throws IOException {
        Path f = LoadTestFiles.tradesParquet(dir.resolve("trades.parquet"), 30_000, 11);
        RayDict answer = (RayDict) c.client.execute("(.cluster.loadFile 'pq \"trades.parquet\" {shardKey: 'id shards: 4 "
                + "chunkRows: 7000})");
        assertThat(answer.get("rows")).isEqualTo(I64Atom.of(30_000));
        c.oracle.execute("(set pq (.parquet.read \"" + f + "\"))");
        sameAsOracle("(map type (value (take pq 1)))");
        sameAsOracle("pq");
        sameAsOracle("(select {n: (count id) s: (sum px) by: flag from: pq})");
        // text read as symbols when asked
        c.client.execute("(.cluster.loadFile 'pqsym \"trades.parquet\" {shardKey: 'sym columns: \"sym:symbol\"})");
        RayTable cols = (RayTable) ((RayDict) c.client.execute("(.cluster.describe 'pqsym)")).get("columns");
        assertThat(((SymbolVector) cols.column("type")).toList()).contains("symbol").doesNotContain("string");
        c.oracle.execute("(set pqsym (table [id sym] (list (at pq 'id) (as 'SYM (at pq 'sym)))))");
        sameAsOracle("(select {n: (count id) by: sym from: pqsym asc: sym})");
        c.client.execute("(.cluster.drop 'pq)");
        c.client.execute("(.cluster.drop 'pqsym)");
    }

    @Test
    void loadIntoAnExistingTableAppendsWithItsTypes() throws IOException {
        Path f = dir.resolve("more.csv");
        Files.writeString(f, "px,id\n1.5,1\n2,2\n3.25,3\n");
        c.client.execute("(.cluster.create 'existing (table [id px] (list [0] [0.5])) 'id 3 2)");
        RayDict answer = (RayDict) c.client.execute("(.cluster.loadFile 'existing \"more.csv\")");
        assertThat(answer.get("created")).isEqualTo(new BoolAtom(false));
        c.oracle.execute("(set existing (table [id px] (list [0 1 2 3] [0.5 1.5 2.0 3.25])))");
        sameAsOracle("existing");
        // a file without the table's columns is refused, naming both
        Files.writeString(dir.resolve("other.csv"), "a,b\n1,2\n");
        assertThatThrownBy(() -> c.client.execute("(.cluster.loadFile 'existing \"other.csv\")"))
                .isInstanceOf(UnsupportedQueryError.class).hasMessageContaining("[a, b]").hasMessageContaining("[id, px]");
        sameAsOracle("existing");
        c.client.execute("(.cluster.drop 'existing)");
    }

    @Test
    void typesAreInferredAsTheEngineInfersThem() throws IOException {
        StringBuilder b = new StringBuilder("b,i,f,d,t,ts,s,n,u,late\n");
        b.append("true,1,1.5,2024-01-15,09:30:00.125,2024-01-15T09:30:00.000000001,abc,,u0,1\n");
        b.append("false,-7,2,2023-12-31,23:59:59,2024-01-15 10:00:00,x y,,u1,2\n");
        b.append("TRUE,,1e3,,00:00:00.000,2024-02-29T00:00:00,,,u2,3\n");
        for (int i = 3; i < 100; i++) {
            // u: mostly distinct text (a string column); late: integers until the last row
            b.append("false,").append(i).append(",0.5,2024-01-01,12:00:00,2024-01-01T00:00:00,s").append(i % 3).append(",,u")
                    .append(i).append(',').append(i == 99 ? "99.5" : Integer.toString(i)).append('\n');
        }
        Path f = dir.resolve("types.csv");
        Files.writeString(f, b);
        c.client.execute("(.cluster.loadFile 'types \"types.csv\" {replicated: true})");
        c.oracle.execute("(set types (.csv.read \"" + f + "\"))");
        RayTable cols = (RayTable) ((RayDict) c.client.execute("(.cluster.describe 'types)")).get("columns");
        assertThat(((SymbolVector) cols.column("type")).toList())
                .containsExactly("b8", "i64", "f64", "date", "time", "timestamp", "symbol", "symbol", "string", "f64");
        sameAsOracle("types");
        sameAsOracle("(map type (value (take types 1)))");
        c.client.execute("(.cluster.drop 'types)");
    }

    @Test
    void givenColumnTypesRenameAndRetype() throws IOException {
        Files.writeString(dir.resolve("given.csv"), "a,b,c\n1,x,3\n2,y,4\n");
        c.client.execute("(.cluster.loadFile 'given \"given.csv\" {columns: \"k:i32,name:string,v:f64\" shardKey: 'k})");
        RayTable t = (RayTable) c.client.execute("given");
        assertThat(t.columnNames()).containsExactly("k", "name", "v");
        c.oracle.execute("(set given (table [k name v] (list (as 'I32 [1 2]) (list \"x\" \"y\") [3.0 4.0])))");
        sameAsOracle("given");
        c.client.execute("(.cluster.drop 'given)");
    }

    @Test
    void aBadRowRefusesTheWholeLoadNamingItsLine() throws IOException {
        Files.writeString(dir.resolve("bad.csv"), "id,px\n1,1.5\n2,oops\n3,3.5\n4\n5,5.5\n");
        String typed = "columns: \"id:i64,px:f64\"";
        assertThatThrownBy(() -> c.client.execute("(.cluster.loadFile 'bad \"bad.csv\" {shardKey: 'id " + typed + "})"))
                .isInstanceOfSatisfying(RayforceEvaluationError.class, e -> assertThat(e.code()).isEqualTo("domain"))
                .hasMessageContaining("bad.csv:3").hasMessageContaining("'oops' is not a number")
                .hasMessageContaining("nothing was loaded");
        RayTable tables = (RayTable) c.client.execute("(.cluster.tables)");
        assertThat(((SymbolVector) tables.column("name")).toList()).as("the table it created is dropped again").doesNotContain("bad");

        RayDict answer = (RayDict) c.client.execute("(.cluster.loadFile 'bad \"bad.csv\" {shardKey: 'id skipBad: true "
                + typed + "})");
        assertThat(answer.get("rows")).isEqualTo(I64Atom.of(3));
        assertThat(answer.get("skipped")).isEqualTo(I64Atom.of(2));
        RayTable bad = (RayTable) answer.get("bad");
        assertThat(((I64Vector) bad.column("line")).get(0)).isEqualTo(3);
        assertThat(((I64Vector) bad.column("line")).get(1)).isEqualTo(5);
        assertThat(bad.column("reason").at(1).toString()).contains("1 field where the file has 2 columns");
        c.oracle.execute("(set bad (table [id px] (list [1 3 5] [1.5 3.5 5.5])))");
        sameAsOracle("bad");
        c.client.execute("(.cluster.drop 'bad)");
    }

    @Test
    void severalFilesAreOneLoad() throws IOException {
        Files.writeString(dir.resolve("p1.csv"), "id,v\n1,10\n2,20\n");
        Files.writeString(dir.resolve("p2.csv"), "id,v\n3,30\n");
        Files.writeString(dir.resolve("p3.csv"), "id,v\n4,40\n5,x\n");
        assertThatThrownBy(() -> c.client.execute("(.cluster.loadFile 'parts (list \"p1.csv\" \"p2.csv\" \"p3.csv\") "
                + "{shardKey: 'id shards: 2})")).hasMessageContaining("p3.csv:3");
        c.client.execute("(.cluster.loadFile 'parts (list \"p1.csv\" \"p2.csv\") {shardKey: 'id shards: 2})");
        c.oracle.execute("(set parts (table [id v] (list [1 2 3] [10 20 30])))");
        sameAsOracle("parts");
        c.client.execute("(.cluster.drop 'parts)");
    }

    @Test
    void pathsOutsideTheLoadDirectoryAreRefused() throws IOException {
        Path outside = Files.createTempFile("secret", ".csv");
        Files.writeString(outside, "id\n1\n");
        Files.createSymbolicLink(dir.resolve("link.csv"), outside);
        Files.createDirectories(dir.resolve("sub"));
        for (String p : List.of(outside.toString(), "../" + outside.getFileName(), "/etc/passwd", "link.csv", "sub/../../x.csv")) {
            assertThatThrownBy(() -> c.client.execute("(.cluster.loadFile 'stolen \"" + p + "\" {replicated: true})"))
                    .as(p).isInstanceOfSatisfying(RayforceEvaluationError.class, e -> assertThat(e.code()).isEqualTo("access"))
                    .hasMessageContaining(p).hasMessageContaining("outside the load directory " + dir.toRealPath());
        }
        assertThatThrownBy(() -> c.client.execute("(.cluster.loadFile 'stolen \"sub\" {replicated: true})"))
                .hasMessageContaining("not a regular file");
        assertThatThrownBy(() -> c.client.execute("(.cluster.loadFile 'stolen \"missing.csv\" {replicated: true})"))
                .isInstanceOfSatisfying(RayforceEvaluationError.class, e -> assertThat(e.code()).isEqualTo("io"));
        // through the gateway, as any client sends it
        assertThatThrownBy(() -> ipc.execute("(.cluster.loadFile 'stolen \"/etc/passwd\" {replicated: true})"))
                .isInstanceOfSatisfying(RayforceEvaluationError.class, e -> assertThat(e.code()).isEqualTo("access"));
        assertThat(ipc.execute("(.cluster.lastError)").toString()).contains("/etc/passwd").contains("--load-dir");
        RayTable tables = (RayTable) c.client.execute("(.cluster.tables)");
        assertThat(((SymbolVector) tables.column("name")).toList()).doesNotContain("stolen");
        Files.delete(outside);
    }

    @Test
    void aQueryAfterALoadSeesTheLoadedRows() throws IOException {
        Files.writeString(dir.resolve("fresh.csv"), "id,sym\n1,a\n2,b\n3,c\n");
        c.client.execute("(.cluster.create 'fresh (table [id sym] (list [0] ['a])) 'sym 3 2)");
        String count = "(count fresh)";
        String filtered = "(count (select {from: fresh where: (> id 0)}))";
        assertThat(ipc.execute(count)).isEqualTo(I64Atom.of(1));
        assertThat(ipc.execute(filtered)).isEqualTo(I64Atom.of(0));
        // both are reused while the table is unchanged (ReadCache): only a load that ends the read version is seen
        assertThat(c.client.query(count, QueryOptions.DEFAULT).plan()).doesNotContain("moved");
        assertThat(c.client.query(filtered, QueryOptions.DEFAULT).plan()).doesNotContain("moved");

        ipc.execute("(.cluster.loadFile 'fresh \"fresh.csv\")");
        assertThat(ipc.execute(count)).isEqualTo(I64Atom.of(4));
        assertThat(ipc.execute(filtered)).isEqualTo(I64Atom.of(3));
        assertThat(c.client.query(count, QueryOptions.DEFAULT).plan()).doesNotContain("moved");

        long id = ((I64Atom) ipc.execute("(.cluster.loadBegin 'fresh)")).value();
        ipc.execute("(.cluster.loadRows " + id + " (table [id sym] (list [4 5] ['d 'e])))");
        ipc.execute("(.cluster.loadCommit " + id + ")");
        assertThat(ipc.execute(count)).isEqualTo(I64Atom.of(6));
        assertThat(ipc.execute(filtered)).isEqualTo(I64Atom.of(5));
        c.client.execute("(.cluster.drop 'fresh)");
    }

    @Test
    void theEnginesOwnFileReadersAreNeverRunForAClient() {
        // a file inside the load directory, read only through .cluster.loadFile: a client's .csv.read or .parquet.read,
        // alone or as the rows of an admin function, is refused before any engine sees it
        c.client.execute("(.cluster.create 'gated (table [id sym] (list [0] ['a])) 'sym 2 1)");
        long id = ((I64Atom) ipc.execute("(.cluster.loadBegin 'gated)")).value();
        String csv = "(.csv.read \"" + trades + "\")";
        for (String q : List.of(csv, "(.parquet.read \"" + dir.resolve("trades.parquet") + "\")", "(count " + csv + ")",
                "(select {from: " + csv + " where: (< id 5)})", "(.cluster.load 'gated " + csv + ")",
                "(.cluster.create 'stolen " + csv + " 'sym)", "(.cluster.loadRows " + id + " " + csv + ")")) {
            assertThatThrownBy(() -> ipc.execute(q)).as(q)
                    .isInstanceOfSatisfying(RayforceEvaluationError.class, e -> assertThat(e.code()).isEqualTo("access"));
            assertThat(ipc.execute("(.cluster.lastError)").toString()).as(q).contains("the cluster does not run '.");
        }
        assertThat(ipc.execute("(.cluster.loadCommit " + id + ")")).isEqualTo(I64Atom.of(0));
        assertThat(ipc.execute("(count gated)")).isEqualTo(I64Atom.of(1));
        RayTable tables = (RayTable) c.client.execute("(.cluster.tables)");
        assertThat(((SymbolVector) tables.column("name")).toList()).doesNotContain("stolen");
        c.client.execute("(.cluster.drop 'gated)");
    }

    @Test
    void withoutALoadDirectoryFilesAreRefused() {
        c.client.loadDirectory(null);
        try {
            assertThatThrownBy(() -> c.client.execute("(.cluster.loadFile 'x \"trades.csv\" {replicated: true})"))
                    .isInstanceOfSatisfying(RayforceEvaluationError.class, e -> assertThat(e.code()).isEqualTo("access"))
                    .hasMessageContaining("--load-dir");
        } finally {
            c.client.loadDirectory(dir);
        }
    }

    @Test
    void aLoadFedInPiecesIsSeenWholeOrNotAtAll() throws Exception {
        c.client.execute("(.cluster.create 'pieces (table [id sym] (list [0] ['a])) 'sym 4 2)");
        long id = ((I64Atom) ipc.execute("(.cluster.loadBegin 'pieces)")).value();
        assertThat(ipc.execute("(.cluster.loadRows " + id + " (table [id sym] (list [1 2 3] ['a 'b 'c])))")).isEqualTo(I64Atom.of(3));
        assertThat(ipc.execute("(.cluster.loadRows " + id + " (table [id sym] (list [4 5] ['d 'e])))")).isEqualTo(I64Atom.of(5));
        // a reader waits for the load and then sees all of it
        CompletableFuture<RayValue> read = CompletableFuture.supplyAsync(() -> c.client.execute("(count pieces)"));
        Thread.sleep(300);
        assertThat(read).isNotDone();
        // rows with other columns are refused, and the load goes on
        assertThatThrownBy(() -> ipc.execute("(.cluster.loadRows " + id + " (table [id] (list [9])))"))
                .isInstanceOfSatisfying(RayforceEvaluationError.class, e -> assertThat(e.code()).isEqualTo("nyi"));
        assertThat(ipc.execute("(.cluster.lastError)").toString()).contains("[id:i64, sym:symbol], got [id:i64]");
        assertThat(ipc.execute("(.cluster.loadCommit " + id + ")")).isEqualTo(I64Atom.of(5));
        assertThat(read.get(30, TimeUnit.SECONDS)).isEqualTo(I64Atom.of(6));
        assertThatThrownBy(() -> ipc.execute("(.cluster.loadRows " + id + " (table [id sym] (list [7] ['f])))"))
                .isInstanceOf(RayforceEvaluationError.class);
        assertThat(ipc.execute("(.cluster.lastError)").toString()).contains("no load " + id + " is open");

        long aborted = ((I64Atom) ipc.execute("(.cluster.loadBegin 'pieces)")).value();
        ipc.execute("(.cluster.loadRows " + aborted + " (table [id sym] (list [7 8] ['f 'g])))");
        assertThat(ipc.execute("(.cluster.loadAbort " + aborted + ")")).isEqualTo(Symbol.of("pieces"));
        assertThat(c.client.execute("(count pieces)")).isEqualTo(I64Atom.of(6));
        c.oracle.execute("(set pieces (table [id sym] (list [0 1 2 3 4 5] ['a 'a 'b 'c 'd 'e])))");
        sameAsOracle("pieces");
        c.client.execute("(.cluster.drop 'pieces)");
    }
}
