package io.rayforce.cluster.client.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.rayfall.RayfallPrinter;
import io.rayforce.cluster.client.rayfall.RayfallReader;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.Name;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** parse(compile(q)) == q, and the printed text reads back to the same query, for generated queries. */
class QueryParseProperties {

    @Property(tries = 1000)
    void parsingACompiledQueryGivesItBack(@ForAll("queries") Query q) {
        assertThat(Queries.parse(q.ipc())).contains(q);
        assertThat(Queries.parse(RayfallReader.read(q.toString()))).contains(q);
        assertThat(q.toString()).isEqualTo(RayfallPrinter.print(q.ipc()));
    }

    @Test
    void otherExpressionsAreNotQueries() {
        assertThat(Queries.parse(RayfallReader.read("(+ 1 2)"))).isEmpty();
        assertThat(Queries.parse(RayfallReader.read("(select t)"))).isEmpty();
        assertThat(Queries.parse(RayfallReader.read("(select {a: 1})"))).isEmpty();
        assertThat(Queries.parse(I64Atom.of(1))).isEmpty();
        assertThat(Queries.parse(RayList.of(Name.of("insert")))).isEmpty();
    }

    @Test
    void foreignFormsAreRecognized() {
        SelectQuery s = (SelectQuery) Queries.parse(RayfallReader.read("(select {s: (sum qty) from: t by: [sym d] asc: [a b] desc: 'c take: 3})"))
                .orElseThrow();
        assertThat(s.by()).extracting(Named::name).containsExactly("sym", "d");
        assertThat(s.order()).containsExactly(OrderKey.asc("a"), OrderKey.asc("b"), OrderKey.desc("c"));
        assertThat(s.take()).isEqualTo(Take.first(3));
        assertThat(s.projections()).containsExactly(Expr.col("qty").sum().as("s"));
        assertThat(s.from()).isEqualTo(Table.of("t"));
        IpcSave save = (IpcSave) Queries.parse(RayfallReader.read("(count (set 'x (left-join [k] L R)))")).orElseThrow();
        assertThat(save.returnsCount()).isTrue();
        assertThat(save.value()).isEqualTo(Table.of("L").leftJoin(Table.of("R"), "k"));
    }

    static Arbitrary<String> names() {
        return Arbitraries.of("id", "sym", "px", "qty", "a-b", "x.y", "v2");
    }

    static Arbitrary<Expr> exprs(int depth) {
        Arbitrary<Expr> leaf = Arbitraries.oneOf(
                names().map(Column::of),
                Arbitraries.longs().map(l -> (Expr) Expr.lit(l)),
                Arbitraries.doubles().filter(Double::isFinite).map(d -> (Expr) Expr.lit(d)),
                Arbitraries.strings().alpha().ofMaxLength(4).map(s -> (Expr) Expr.lit(s)),
                names().map(Expr::sym));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<Expr> sub = exprs(depth - 1);
        return Arbitraries.oneOf(leaf,
                Combinators.combine(sub, sub).as((a, b) -> (Expr) a.plus(b)),
                Combinators.combine(sub, sub).as((a, b) -> (Expr) a.gt(b).and(b.le(a))),
                sub.map(Expr::sum), sub.map(Expr::countDistinct), sub.map(Expr::not),
                names().map(n -> (Expr) Column.of(n).isin("A", "B")),
                names().map(n -> (Expr) Column.of(n).within(1L, 5L)),
                names().map(n -> (Expr) Column.of(n).like("A*")));
    }

    static Arbitrary<Named> named() {
        return Combinators.combine(Arbitraries.of("c1", "c2", "total", "n"), exprs(2)).as(Named::new);
    }

    static Arbitrary<Source> sources() {
        return Arbitraries.oneOf(Arbitraries.of("t", "L", "R").map(n -> (Source) Table.of(n)),
                Arbitraries.of("t").map(n -> (Source) Table.of(n).select("id").where(Column.of("id").gt(1))));
    }

    @Provide
    Arbitrary<Query> queries() {
        Arbitrary<SelectQuery> select = Combinators.combine(sources(), named().list().ofMaxSize(3), exprs(2).injectNull(0.3),
                names().list().ofMaxSize(2), Arbitraries.of(OrderKey.asc("id"), OrderKey.desc("px")).list().ofMaxSize(2),
                Arbitraries.of(Take.first(2), Take.first(-1), Take.range(1, 2)).injectNull(0.5))
                .as((from, p, w, by, order, take) -> new SelectQuery(from, p, w,
                        by.stream().map(b -> Column.of(b).named()).toList(), order, take));
        Table t = Table.of("t");
        Arbitrary<Query> update = Combinators.combine(named().list().ofMinSize(1).ofMaxSize(2), exprs(1).injectNull(0.3), Arbitraries.of(true, false))
                .as((a, w, inPlace) -> new UpdateQuery(t, inPlace, a, w, List.of()));
        Arbitrary<Query> insert = Arbitraries.oneOf(
                Arbitraries.longs().list().ofMinSize(1).ofMaxSize(3).map(l -> (Query) t.insert(l.toArray())),
                Arbitraries.longs().list().ofSize(2).map(l -> (Query) t.insertColumns(l, l)),
                Arbitraries.longs().map(l -> (Query) t.insert(java.util.Map.of("id", l))),
                Arbitraries.integers().between(1, 3).map(k -> (Query) t.upsert(k, 1L, "A", 2.5)),
                exprs(1).map(w -> (Query) t.delete(w)));
        Arbitrary<Query> joins = Combinators.combine(Arbitraries.of(JoinKind.values()), sources(), sources())
                .as((k, l, r) -> (Query) new Join(k, List.of("k", "time"), l, r));
        Arbitrary<Query> wj = Combinators.combine(Arbitraries.longs().between(-5000, 0), Arbitraries.longs().between(0, 5000),
                named().list().ofMinSize(1).ofMaxSize(2), Arbitraries.of(true, false))
                .as((lo, hi, aggs, inside) -> {
                    WindowJoin w = WindowJoin.of(List.of("sym", "time"), Table.of("trades"), Table.of("quotes"), lo, hi, aggs);
                    return (Query) (inside ? w.insideOnly() : w);
                });
        Arbitrary<Query> base = Arbitraries.oneOf(select.map(s -> (Query) s), update, insert, joins, wj);
        return Arbitraries.oneOf(base, Combinators.combine(base, Arbitraries.of(true, false))
                .as((q, count) -> (Query) (count ? q.ipcsave("saved").countOnly() : q.ipcsave("saved"))));
    }
}
