package io.rayforce.cluster.client.query;

import static io.rayforce.cluster.client.query.Expr.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.rayfall.RayfallReader;
import io.rayforce.cluster.client.testing.EngineExtension;
import io.rayforce.cluster.client.testing.RayforcePy;
import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.StringVector;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.SymbolVector;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every query kind against the real engine: the Java query object, its printed Rayfall text sent
 * as a string, and (where rayforce-py has the same query) rayforce-py's own query object sent
 * through rayforce-py's TCPClient all give the same result on the same data.
 */
class QueryEngineTest {
    @RegisterExtension
    static final EngineExtension engine = new EngineExtension();

    static final String DATA = """
            (set t (table [id sym px qty s d tm ts] (list [1 2 3 4 5 6] [A B A C B A] [10.0 20.0 0Nf 40.0 50.0 60.0]
              [100 200 300 400 500 600] ["x" "y" "x" "z" "" "y"] [2024.01.01 2024.01.02 2024.01.02 0Nd 2024.01.05 2024.01.06]
              [09:00:00.000 09:00:01.000 09:00:02.000 0Nt 09:00:04.000 09:00:05.000]
              [2024.01.01D09:00:00.000000000 2024.01.01D09:00:01.000000000 0Np 2024.01.01D09:00:03.000000000
               2024.01.01D09:00:04.000000000 2024.01.01D09:00:05.000000000])))
            (set e (select {from: t where: (< id 0)}))
            (set L (table [k a] (list [1 2 3 4] [10 20 30 40])))
            (set R (table [k b] (list [2 3 3 5] [200 300 301 500])))
            (set trades (table [sym time px] (list [A A B A] [00:00:01.000 00:00:05.000 00:00:03.000 00:00:10.000] [1.0 2.0 3.0 4.0])))
            (set quotes (table [sym time bid] (list [A A B B A] [00:00:00.000 00:00:04.000 00:00:01.000 00:00:03.000 00:00:05.000] [10 11 20 21 12])))
            (count t)
            """;

    static final Table T = Table.of("t");
    static final Table E = Table.of("e");

    TCPClient client() {
        return engine.client();
    }

    @BeforeEach
    void data() {
        client().execute(DATA);
    }

    /** The query object and its text give the same result; returns it. */
    RayValue same(Query q) {
        RayValue viaObject = client().execute(q);
        RayValue viaText = client().execute(q.toString());
        assertThat(viaText).as("text %s", q).isEqualTo(viaObject);
        assertThat(Queries.parse(q.ipc())).contains(q);
        assertThat(Queries.parse(RayfallReader.read(q.toString()))).contains(q);
        return viaObject;
    }

    /** The same write through the object, the text, and (when given) rayforce-py: each on fresh data; returns the table after it. */
    RayValue sameWrite(Query q, String python, String table) {
        data();
        RayValue r1 = client().execute(q);
        RayValue after1 = client().execute(table);
        data();
        RayValue r2 = client().execute(q.toString());
        RayValue after2 = client().execute(table);
        assertThat(r2).isEqualTo(r1);
        assertThat(after2).isEqualTo(after1);
        if (python != null) {
            data();
            RayforcePy.Result py = RayforcePy.run(engine.port(), python).get(0);
            assertThat(py.error()).as("rayforce-py").isNull();
            assertThat(client().execute(table)).as("after rayforce-py's %s", python).isEqualTo(after1);
        }
        assertThat(Queries.parse(q.ipc())).contains(q);
        return after1;
    }

    void samePy(List<Query> queries, String... python) {
        List<RayforcePy.Result> py = RayforcePy.run(engine.port(), python);
        for (int i = 0; i < queries.size(); i++) {
            RayValue ours = same(queries.get(i));
            assertThat(py.get(i).error()).as("rayforce-py error for %s", python[i]).isNull();
            assertThat(ours).as("%s vs rayforce-py %s", queries.get(i), python[i]).isEqualTo(py.get(i).value());
        }
    }

    @Test
    void selectsMatchRayforcePy() {
        samePy(List.of(
                T.select("id", "px"),
                T.select("*").where(col("px").gt(25)),
                T.select(col("id"), col("px").times(col("qty")).as("v")),
                T.where(col("sym").eq("A")),
                T.where(col("px").gt(15)).where(col("qty").lt(600)),
                T.where(col("px").gt(50).or(col("sym").eq("B"))),
                T.select(col("qty").sum().as("total"), col("id").count().as("n")).by("sym"),
                T.select(col("px").avg().as("a"), col("px").min().as("mn"), col("px").max().as("mx"), col("px").first().as("f"),
                        col("px").last().as("l"), col("px").median().as("m"), col("px").dev().as("dv"),
                        col("px").stddev().as("sd")).by("sym"),
                T.select(col("qty").sum().as("total")).where(col("px").gt(15)).by("sym"),
                T.select(col("qty").sum().as("total")).by("sym", "d"),
                T.select(col("sym").countDistinct().as("dc")),
                T.where(col("sym").isin("A", "C")),
                T.where(col("id").isin(1, 3)),
                T.where(col("sym").ne("A")),
                T.select(col("qty").div(7).as("q"), col("qty").mod(7).as("r"), col("px").divide(3).as("f"))),
                "Table('t').select('id', 'px')",
                "Table('t').select('*').where(Column('px') > 25)",
                "Table('t').select('id', v=Column('px') * Column('qty'))",
                "Table('t').where(Column('sym') == 'A')",
                "Table('t').where(Column('px') > 15).where(Column('qty') < 600)",
                "Table('t').where((Column('px') > 50) | (Column('sym') == 'B'))",
                "Table('t').select(total=Column('qty').sum(), n=Column('id').count()).by('sym')",
                "Table('t').select(a=Column('px').mean(), mn=Column('px').min(), mx=Column('px').max(), f=Column('px').first(),"
                        + " l=Column('px').last(), m=Column('px').median(), dv=Column('px').deviation(), sd=Column('px').std()).by('sym')",
                "Table('t').select(total=Column('qty').sum()).where(Column('px') > 15).by('sym')",
                "Table('t').select(total=Column('qty').sum()).by('sym', 'd')",
                "Table('t').select(dc=Column('sym').distinct().count())",
                "Table('t').where(Column('sym').isin(['A', 'C']))",
                "Table('t').where(Column('id').isin([1, 3]))",
                "Table('t').where(Column('sym') != 'A')",
                "Table('t').select(q=Column('qty') // 7, r=Column('qty') % 7, f=Column('px') / 3)");
    }

    @Test
    void selectOnNullsEmptyTablesStringsAndTemporals() {
        RayTable nulls = (RayTable) same(T.where(col("px").isNull()));
        assertThat(nulls.column("id")).isEqualTo(I64Vector.of(3));
        RayTable notNull = (RayTable) same(T.select("id").where(col("d").isNotNull()));
        assertThat(notNull.column("id")).isEqualTo(I64Vector.of(1, 2, 3, 5, 6));
        RayTable empty = (RayTable) same(E.select("id", "sym"));
        assertThat(empty.rowCount()).isZero();
        assertThat(empty.columnNames()).containsExactly("id", "sym");
        assertThat(((RayTable) same(E.select(col("qty").sum().as("s")).by("sym"))).rowCount()).isZero();
        RayTable strings = (RayTable) same(T.select("id", "s").where(col("s").eq("x")));
        assertThat(strings.column("s")).isEqualTo(StringVector.of("x", "x"));
        RayTable like = (RayTable) same(T.select("id").where(col("sym").like("A*")));
        assertThat(like.column("id")).isEqualTo(I64Vector.of(1, 3, 6));
        RayTable dates = (RayTable) same(T.select("id").where(col("d").within(LocalDate.of(2024, 1, 2), LocalDate.of(2024, 1, 5))));
        assertThat(dates.column("id")).isEqualTo(I64Vector.of(2, 3, 5));
        RayTable times = (RayTable) same(T.select("id").where(col("tm").ge(java.time.LocalTime.of(9, 0, 2))));
        assertThat(times.column("id")).isEqualTo(I64Vector.of(3, 5, 6));
        RayTable stamps = (RayTable) same(T.select(col("ts").max().as("last")).by("sym"));
        assertThat(stamps.rowCount()).isEqualTo(3);
    }

    /** rayforce-py drops order_by over IPC; ours keeps it: several keys, mixed directions, then take. */
    @Test
    void orderAndTakeAreKept() {
        RayTable sorted = (RayTable) same(T.select("id", "sym", "qty").orderByDesc("sym").orderBy("qty"));
        assertThat(sorted.column("id")).isEqualTo(I64Vector.of(4, 2, 5, 1, 3, 6));
        RayTable top = (RayTable) same(T.select("id").where(col("px").gt(15)).orderByDesc("px").take(2));
        assertThat(top.column("id")).isEqualTo(I64Vector.of(6, 5));
        RayTable page = (RayTable) same(T.select("id").orderBy("id").limit(2, 3));
        assertThat(page.column("id")).isEqualTo(I64Vector.of(4, 5));
        RayTable grouped = (RayTable) same(T.select(col("qty").sum().as("s")).by("sym").orderByDesc("s"));
        assertThat(grouped.column("sym")).isEqualTo(SymbolVector.of("A", "B", "C"));
        RayValue py = RayforcePy.run(engine.port(), "Table('t').select('id').order_by('px', desc=True)").get(0).value();
        assertThat(((RayTable) py).column("id")).as("rayforce-py loses the order").isEqualTo(I64Vector.of(1, 2, 3, 4, 5, 6));
    }

    @Test
    void updatesMatchRayforcePy() {
        RayTable after = (RayTable) sameWrite(T.update(col("px").times(2).as("px")).where(col("sym").eq("A")),
                "Table('t').update(px=Column('px') * 2).where(Column('sym') == 'A')", "t");
        assertThat(after.column("px")).isEqualTo(F64Vector.of(20.0, 20.0, Double.NaN, 40.0, 50.0, 120.0));
        RayTable sym = (RayTable) sameWrite(T.update("sym", "Z").where(col("id").eq(2)), null, "t");
        assertThat(sym.column("sym")).isEqualTo(SymbolVector.of("A", "Z", "A", "C", "B", "A"));
        assertThat(client().execute(T.update("qty", 0L).where(col("id").eq(1)))).isEqualTo(Symbol.of("t"));
        data();
        RayTable copy = (RayTable) client().execute(T.update("qty", 0L).copy());
        assertThat(copy.column("qty")).isEqualTo(I64Vector.of(0, 0, 0, 0, 0, 0));
        assertThat(((RayTable) client().execute("t")).column("qty")).isEqualTo(I64Vector.of(100, 200, 300, 400, 500, 600));
    }

    @Test
    void insertsMatchRayforcePy() {
        Table l = Table.of("L");
        RayTable one = (RayTable) sameWrite(l.insert(5L, 50L), "Table('L').insert(5, 50)", "L");
        assertThat(one.column("k")).isEqualTo(I64Vector.of(1, 2, 3, 4, 5));
        RayTable cols = (RayTable) sameWrite(l.insertColumns(List.of(6L, 7L), List.of(60L, 70L)), "Table('L').insert([6, 7], [60, 70])", "L");
        assertThat(cols.column("a")).isEqualTo(I64Vector.of(10, 20, 30, 40, 60, 70));
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("a", 80L);
        row.put("k", 8L);
        RayTable dict = (RayTable) sameWrite(l.insert(row), "Table('L').insert(k=8, a=80)", "L");
        assertThat(dict.column("k")).isEqualTo(I64Vector.of(1, 2, 3, 4, 8));
        RayTable rows = (RayTable) sameWrite(l.insertRows(List.of(List.of(9L, 90L), List.of(10L, 100L))), null, "L");
        assertThat(rows.rowCount()).isEqualTo(6);
        RayTable fromTable = (RayTable) sameWrite(l.insert(Table.of("R").select(col("k"), col("b").as("a"))), null, "L");
        assertThat(fromTable.column("a")).isEqualTo(I64Vector.of(10, 20, 30, 40, 200, 300, 301, 500));
        RayTable sym = (RayTable) sameWrite(T.insert(7L, "D", 70.0, 700L, io.rayforce.cluster.client.value.Str.of("w"),
                LocalDate.of(2024, 1, 7), java.time.LocalTime.of(9, 0, 6), java.time.Instant.parse("2024-01-01T09:00:06Z")), null, "t");
        assertThat(sym.column("sym")).isEqualTo(SymbolVector.of("A", "B", "A", "C", "B", "A", "D"));
        assertThatThrownBy(() -> l.insertColumns(List.of(1L, 2L), List.of(1L))).hasMessageContaining("different lengths");
    }

    @Test
    void upsertsMatchRayforcePy() {
        Table l = Table.of("L");
        RayTable one = (RayTable) sameWrite(l.upsert(1, 2L, 99L), "Table('L').upsert(2, 99, key_columns=1)", "L");
        assertThat(one.column("a")).isEqualTo(I64Vector.of(10, 99, 30, 40));
        RayTable many = (RayTable) sameWrite(l.upsertColumns(1, List.of(3L, 9L), List.of(33L, 90L)),
                "Table('L').upsert([3, 9], [33, 90], key_columns=1)", "L");
        assertThat(many.column("k")).isEqualTo(I64Vector.of(1, 2, 3, 4, 9));
        assertThat(many.column("a")).isEqualTo(I64Vector.of(10, 20, 33, 40, 90));
        RayTable dict = (RayTable) sameWrite(l.upsert(1, Map.of("k", 1L, "a", 11L)), "Table('L').upsert(k=1, a=11, key_columns=1)", "L");
        assertThat(dict.column("a")).isEqualTo(I64Vector.of(11, 20, 30, 40));
    }

    @Test
    void deletesRows() {
        RayTable after = (RayTable) sameWrite(T.delete(col("sym").eq("A")), null, "t");
        assertThat(after.column("id")).isEqualTo(I64Vector.of(2, 4, 5));
    }

    /** Joins refer to server tables by name (rayforce-py fails client-side on Table refs); compare with rayforce-py's value joins. */
    @Test
    void joinsWithUnmatchedRowsMatchRayforcePyValueJoins() {
        Table l = Table.of("L");
        Table r = Table.of("R");
        samePy(List.of(l.leftJoin(r, "k"), l.innerJoin(r, "k"), Table.of("trades").asofJoin(Table.of("quotes"), "sym", "time")),
                "q('L').left_join(q('R'), on='k')",
                "q('L').inner_join(q('R'), on='k')",
                "q('trades').asof_join(q('quotes'), on=['sym', 'time'])");
        RayTable left = (RayTable) same(l.leftJoin(r, "k"));
        assertThat(left.column("k")).isEqualTo(I64Vector.of(1, 2, 3, 3, 4));
        assertThat(left.column("b")).isEqualTo(I64Vector.of(io.rayforce.cluster.client.value.Nulls.I64, 200, 301, 300,
                io.rayforce.cluster.client.value.Nulls.I64));
        RayTable full = (RayTable) same(l.fullJoin(r, "k"));
        assertThat(full.rowCount()).isEqualTo(6);
        RayTable anti = (RayTable) same(l.antiJoin(r, "k"));
        assertThat(anti.column("k")).isEqualTo(I64Vector.of(1, 4));
        RayTable asof = (RayTable) same(Table.of("trades").asofJoin(Table.of("quotes"), "sym", "time"));
        assertThat(asof.column("bid")).isEqualTo(I64Vector.of(10, 12, 21, 12));
        String py = RayforcePy.run(engine.port(), "Table('L').left_join(Table('R'), on='k')").get(0).error();
        assertThat(py).as("rayforce-py cannot join table references").isNotNull();
        RayTable selected = (RayTable) same(l.leftJoin(r, "k").select("k", "b").where(col("b").isNotNull()));
        assertThat(selected.column("b")).isEqualTo(I64Vector.of(200, 301, 300));
    }

    @Test
    void windowJoinMatchesRayforcePy() {
        WindowJoin wj = Table.of("trades").windowJoin(Table.of("quotes"), List.of("sym", "time"), -2000, 1000,
                col("bid").min().as("mb"), col("bid").count().as("n"));
        samePy(List.of(wj, wj.insideOnly()),
                "(lambda T, Q: T.window_join(['sym', 'time'], [Q], TableColumnInterval(-2000, 1000, T, 'time'), mb=Column('bid').min(), n=Column('bid').count()))(q('trades'), q('quotes'))",
                "(lambda T, Q: T.window_join1(['sym', 'time'], [Q], TableColumnInterval(-2000, 1000, T, 'time'), mb=Column('bid').min(), n=Column('bid').count()))(q('trades'), q('quotes'))");
        RayTable r = (RayTable) same(wj);
        assertThat(r.column("n")).isEqualTo(I64Vector.of(1, 3, 2, 1));
    }

    /** rayforce-py's ipcsave sends a string name (engine: type); ours stores under a name reference. */
    @Test
    void ipcsaveStoresTheResultUnderAName() {
        SelectQuery q = T.select("id").where(col("sym").eq("A"));
        RayValue stored = same(q.ipcsave("saved"));
        assertThat(client().execute("saved")).isEqualTo(stored);
        assertThat(((RayTable) stored).column("id")).isEqualTo(I64Vector.of(1, 3, 6));
        assertThat(same(Table.of("L").leftJoin(Table.of("R"), "k").ipcsave("joined").countOnly())).isEqualTo(I64Atom.of(5));
        assertThat(client().execute("(count joined)")).isEqualTo(I64Atom.of(5));
        assertThat(same(T.ipcsave("tcopy").countOnly())).isEqualTo(I64Atom.of(6));
        RayforcePy.Result py = RayforcePy.run(engine.port(), "Table('t').select('id').ipcsave('pysaved')").get(0);
        assertThat(py.error()).as("rayforce-py's ipcsave fails on the engine").isNotNull();
    }

    @Test
    void engineErrorsLeaveTheConnectionUsable() {
        assertThatThrownBy(() -> client().execute(T.select("nosuch"))).isInstanceOf(RayforceEvaluationError.class);
        assertThat(client().execute("(+ 1 2)")).isEqualTo(I64Atom.of(3));
    }
}
