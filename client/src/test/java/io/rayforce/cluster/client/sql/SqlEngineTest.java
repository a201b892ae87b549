package io.rayforce.cluster.client.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.client.RayforceError;
import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.query.Queries;
import io.rayforce.cluster.client.query.SelectQuery;
import io.rayforce.cluster.client.query.Table;
import io.rayforce.cluster.client.query.UpsertQuery;
import io.rayforce.cluster.client.rayfall.RayfallSyntaxError;
import io.rayforce.cluster.client.testing.EngineExtension;
import io.rayforce.cluster.client.testing.RayforcePy;
import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.SymbolVector;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SQLQuery against the engine: same results as its text and as rayforce-py's SQL plugin; clear errors for the rest. */
class SqlEngineTest {
    @RegisterExtension
    static final EngineExtension engine = new EngineExtension();

    static final String DATA = """
            (set t (table [id sym px qty d] (list [1 2 3 4 5 6] [A B A C B A] [10.0 20.0 0Nf 40.0 50.0 60.0]
              [100 200 300 400 500 600] [2024.01.01 2024.01.02 2024.01.02 0Nd 2024.01.05 2024.01.06])))
            (set u (table [id sym px] (list [1 2 3] [A B C] [1.0 2.0 3.0])))
            (count t)
            """;
    static final Table T = Table.of("t");

    TCPClient client() {
        return engine.client();
    }

    @BeforeEach
    void data() {
        client().execute(DATA);
    }

    RayValue run(SQLQuery q) {
        RayValue viaObject = client().execute(q);
        assertThat(client().execute(q.toString())).isEqualTo(viaObject);
        assertThat(Queries.parse(q.ipc())).contains(q.query());
        return viaObject;
    }

    @Test
    void selectsMatchRayforcePySql() {
        List<String> sql = List.of(
                "SELECT id, px FROM t WHERE px > 25 AND sym = 'A'",
                "SELECT sym, SUM(qty) AS total, COUNT(id) FROM t GROUP BY sym",
                "SELECT * FROM t WHERE sym IN ('A', 'C')",
                "SELECT id FROM t WHERE NOT px > 30",
                "SELECT AVG(px), MAX(px), MIN(qty), FIRST(id), LAST(id), MEDIAN(qty) FROM t",
                "SELECT sym, id, SUM(qty) AS s FROM t GROUP BY sym, id",
                "SELECT id, qty * 2 + 1 AS q2, px / 2 AS half FROM t WHERE id != 3",
                "SELECT DISTINCT sym FROM t");
        String[] py = sql.stream().map(s -> "SQLQuery(Table('t'), \"" + s + "\")").toArray(String[]::new);
        List<RayforcePy.Result> theirs = RayforcePy.run(engine.port(), py);
        for (int i = 0; i < sql.size(); i++) {
            RayValue ours = run(new SQLQuery(T, sql.get(i)));
            assertThat(theirs.get(i).error()).as("rayforce-py %s", sql.get(i)).isNull();
            assertThat(ours).as(sql.get(i)).isEqualTo(theirs.get(i).value());
            assertThat(run(SQLQuery.of(sql.get(i)))).isEqualTo(ours);
        }
    }

    /** SQL rayforce-py drops or refuses (ORDER BY, LIMIT, LIKE, BETWEEN, IS NULL, COUNT(*), DELETE), with the answers they must give. */
    @Test
    void theRestOfTheSubsetGivesTheRightAnswers() {
        RayTable sorted = (RayTable) run(SQLQuery.of("SELECT id, sym, qty FROM t ORDER BY sym DESC, qty ASC"));
        assertThat(sorted.column("id")).isEqualTo(I64Vector.of(4, 2, 5, 1, 3, 6));
        RayTable page = (RayTable) run(SQLQuery.of("SELECT id FROM t ORDER BY id LIMIT 2 OFFSET 3"));
        assertThat(page.column("id")).isEqualTo(I64Vector.of(4, 5));
        RayTable like = (RayTable) run(SQLQuery.of("SELECT id FROM t WHERE sym LIKE 'A%' OR sym LIKE '_C'"));
        assertThat(like.column("id")).isEqualTo(I64Vector.of(1, 3, 6));
        RayTable between = (RayTable) run(SQLQuery.of("SELECT id FROM t WHERE qty BETWEEN 200 AND 400"));
        assertThat(between.column("id")).isEqualTo(I64Vector.of(2, 3, 4));
        RayTable nulls = (RayTable) run(SQLQuery.of("SELECT id FROM t WHERE px IS NULL OR d IS NULL"));
        assertThat(nulls.column("id")).isEqualTo(I64Vector.of(3, 4));
        RayTable notNull = (RayTable) run(SQLQuery.of("SELECT id FROM t WHERE px IS NOT NULL AND id < 3"));
        assertThat(notNull.column("id")).isEqualTo(I64Vector.of(1, 2));
        RayTable counts = (RayTable) run(SQLQuery.of("SELECT sym, COUNT(*) AS n, COUNT(DISTINCT d) AS nd FROM t GROUP BY sym ORDER BY n DESC"));
        assertThat(counts.column("sym")).isEqualTo(SymbolVector.of("A", "B", "C"));
        assertThat(counts.column("n")).isEqualTo(I64Vector.of(3, 2, 1));
        RayTable all = (RayTable) run(new SQLQuery(T, "SELECT COUNT(*) AS n FROM whatever"));
        assertThat(all.column("n")).isEqualTo(I64Vector.of(6));
        RayTable dates = (RayTable) run(SQLQuery.of("SELECT id FROM t WHERE d >= DATE '2024-01-02' AND d < DATE '2024-01-06'"));
        assertThat(dates.column("id")).isEqualTo(I64Vector.of(2, 3, 5));
        RayTable neg = (RayTable) run(SQLQuery.of("SELECT id, -qty AS m FROM t WHERE id = 1"));
        assertThat(neg.column("m")).isEqualTo(I64Vector.of(-100));
        RayTable empty = (RayTable) run(SQLQuery.of("SELECT id, px FROM t WHERE id > 100"));
        assertThat(empty.rowCount()).isZero();
        run(SQLQuery.of("DELETE FROM t WHERE sym = 'A' OR qty > 450"));
        assertThat(((RayTable) client().execute("t")).column("id")).isEqualTo(I64Vector.of(2, 4));
    }

    /** INSERT, UPDATE and ON CONFLICT upserts: the table afterwards matches rayforce-py's SQL plugin. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "INSERT INTO u VALUES (4, 'D', 4.0)",
        "INSERT INTO u (id, sym, px) VALUES (4, 'D', 4.0), (5, 'E', 5.0)",
        "UPDATE u SET px = px * 10 WHERE id > 1",
        "UPDATE u SET sym = 'Z', px = 0.5 WHERE id = 2",
        "INSERT INTO u (id, sym, px) VALUES (2, 'BB', 20.0), (7, 'G', 7.0) ON CONFLICT (id) DO UPDATE SET sym = excluded.sym"})
    void writesMatchRayforcePySql(String sql) {
        SQLQuery q = SQLQuery.of(sql);
        client().execute(q);
        RayValue ours = client().execute("u");
        data();
        client().execute(q.toString());
        assertThat(client().execute("u")).isEqualTo(ours);
        data();
        RayforcePy.Result py = RayforcePy.run(engine.port(), "SQLQuery(Table('u'), \"" + sql + "\")").get(0);
        if (sql.contains("'Z'")) {
            // rayforce-py sends a string for a symbol column here, which the engine refuses
            assertThat(py.error()).isNotNull();
            assertThat(((RayTable) ours).column("sym")).isEqualTo(SymbolVector.of("A", "Z", "C"));
        } else {
            assertThat(py.error()).as("rayforce-py").isNull();
            assertThat(client().execute("u")).isEqualTo(ours);
        }
    }

    @Test
    void upsertKeysAreTheConflictColumns() {
        SQLQuery q = SQLQuery.of("INSERT INTO u (id, sym, px) VALUES (3, 'CC', 30.0) ON CONFLICT (id) DO UPDATE SET px = excluded.px");
        assertThat(q.query()).isInstanceOfSatisfying(UpsertQuery.class, u -> assertThat(u.keyColumns()).isEqualTo(1));
        run(q);
        assertThat(((RayTable) client().execute("u")).column("px")).isEqualTo(F64Vector.of(1.0, 2.0, 30.0));
        assertThatThrownBy(() -> SQLQuery.of("INSERT INTO u (sym, id) VALUES ('x', 1) ON CONFLICT (id) DO UPDATE SET sym = 'x'"))
                .isInstanceOf(SqlException.class).hasMessageContaining("must be the first columns");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "SELECT sym, SUM(qty) FROM t GROUP BY sym HAVING SUM(qty) > 10 | SQL HAVING is not supported",
        "SELECT * FROM t JOIN u ON t.id = u.id | SQL JOIN is not supported",
        "SELECT id, ROW_NUMBER() OVER (ORDER BY id) FROM t | SQL window function (OVER) is not supported",
        "SELECT * FROM (SELECT id FROM t) x | SQL subquery in FROM is not supported",
        "SELECT id FROM t WHERE id IN (SELECT id FROM u) | SQL IN with a subquery is not supported",
        "SELECT id FROM t UNION SELECT id FROM u | SQL UNION, INTERSECT or EXCEPT is not supported",
        "SELECT CASE WHEN id > 1 THEN 1 ELSE 0 END AS c FROM t | SQL CASE is not supported",
        "DELETE FROM t | SQL DELETE without WHERE",
        "DELETE FROM   WHERE sym = 'A' | the SQL statement names no table",
        "SELECT id FROM t WHERE d >= DATE '-2024-01-02' | SQL DATE literal '-2024-01-02' is out of range",
        "SELECT id FROM t WHERE ts < TIMESTAMP '+12024-01-02 09:30:00' | SQL TIMESTAMP literal '+12024-01-02 09:30:00' is out of range",
        "INSERT INTO u SELECT * FROM t | SQL INSERT ... SELECT is not supported",
        "SELECT id FROM t ORDER BY id + 1 | SQL ORDER BY on an expression",
        "SELECT FOO(id) FROM t | SQL function FOO is not supported",
        "SELEKT id FROM t | SQL syntax error",
        "SELECT id FROM t WHERE | SQL syntax error"})
    void unsupportedSqlNamesTheConstruct(String sql, String message) {
        assertThatThrownBy(() -> SQLQuery.of(sql)).isInstanceOf(SqlException.class).isInstanceOf(RayforceError.class)
                .hasMessageContaining(message);
        assertThat(client().execute("(+ 1 2)")).isEqualTo(I64Atom.of(3));
    }

    /** Malformed Rayfall text: the engine answers parse, and the connection keeps working. */
    @Test
    void malformedTextLeavesTheConnectionUsable() {
        assertThatThrownBy(() -> client().execute("(select {from: t where: (> px 1)"))
                .isInstanceOfSatisfying(RayforceEvaluationError.class, e -> assertThat(e.code()).isEqualTo("parse"));
        assertThatThrownBy(() -> io.rayforce.cluster.client.rayfall.RayfallReader.read("(select {from: t where: (> px 1)"))
                .isInstanceOf(RayfallSyntaxError.class).hasMessageContaining("'{' is never closed");
        assertThat(client().execute(SQLQuery.of("SELECT COUNT(*) AS n FROM t WHERE id > 0"))).isInstanceOf(RayTable.class);
        assertThat(SQLQuery.of("SELECT id FROM t").query()).isInstanceOf(SelectQuery.class);
    }
}
