package io.rayforce.cluster.router.globals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.client.rayfall.RayfallPrinter;
import io.rayforce.cluster.client.rayfall.RayfallReader;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.Lambda;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.ClusterState;
import io.rayforce.cluster.coordinator.proto.ColumnSpec;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.router.exec.UnsupportedQueryError;
import org.junit.jupiter.api.Test;

/** How globals are put into a request: scoping as the engine resolves names (checked on the engine, docs/globals.md). */
class GlobalInlinerTest {
    private static final ClusterSnapshot SNAPSHOT = new ClusterSnapshot(ClusterState.newBuilder().setEpoch(1)
            .addTables(TablePlacement.newBuilder().setSpec(TableSpec.newBuilder().setName("t")
                    .addColumns(ColumnSpec.newBuilder().setName("qty").setType("i64"))
                    .addColumns(ColumnSpec.newBuilder().setName("w").setType("i64"))))
            .build());

    private static final LocalGlobals GLOBALS = new LocalGlobals();

    static {
        GLOBALS.put("K", I64Atom.of(5));
        GLOBALS.put("w", I64Atom.of(100)); // a global named like a column of t
        GLOBALS.put("S", SymbolVector.of("a", "b"));
        GLOBALS.put("sy", io.rayforce.cluster.client.value.Symbol.of("qty"));
        GLOBALS.put("L", RayList.of(I64Atom.of(1), I64Atom.of(2)));
        GLOBALS.put("dbl", lambda("x", "(* x 2)"));
        GLOBALS.put("addw", lambda("x", "(+ x w)"));
        GLOBALS.put("fact", lambda("n", "(if (<= n 1) 1 (* n (fact (- n 1))))"));
        GLOBALS.put("ping", lambda("x", "(pong x)"));
        GLOBALS.put("pong", lambda("x", "(ping x)"));
        GLOBALS.put("twice", new Lambda((byte) 0, SymbolVector.of("x"), RayList.of(RayfallReader.read("(let y (* x 2))"),
                RayfallReader.read("(+ y K)")), null));
    }

    private static Lambda lambda(String param, String body) {
        return new Lambda((byte) 0, SymbolVector.of(param), RayList.of(RayfallReader.read(body)), null);
    }

    private static String inline(String source) {
        RayValue out = GlobalInliner.inline(RayfallReader.read(source), SNAPSHOT, GLOBALS, () -> SymbolVector.of("listed"));
        return RayfallPrinter.printExpression(out);
    }

    @Test
    void valuesGoWhereTheEngineWouldLookTheNamesUp() {
        assertThat(inline("(+ K 1)")).isEqualTo("(+ 5 1)");
        assertThat(inline("(count L)")).isEqualTo("(count (quote (1 2)))");
        assertThat(inline("(in 'a S)")).isEqualTo("(in 'a [a b])");
        assertThat(inline("(take (key (env 0)) -1)")).isEqualTo("(take [listed] -1)");
        assertThat(inline("(+ nosuch 1)")).as("an unknown name stays").isEqualTo("(+ nosuch 1)");
    }

    @Test
    void localsAndColumnsShadowGlobals() {
        assertThat(inline("((fn [K] (+ K 1)) 2)")).isEqualTo("((fn [K] (+ K 1)) 2)");
        assertThat(inline("((fn [x] (let K 3) (+ x K)) 2)")).isEqualTo("((fn [x] (let K 3) (+ x K)) 2)");
        assertThat(inline("(select {from: t where: (> w K)})")).as("w is t's column").isEqualTo("(select {from: t where: (> w 5)})");
        assertThat(inline("(+ w 1)")).as("outside a query w is the global").isEqualTo("(+ 100 1)");
        assertThat(inline("(set K 7)")).as("the name a set binds").isEqualTo("(set K 7)");
        assertThat(inline("(quote K)")).isEqualTo("(quote K)");
    }

    @Test
    void aSymbolIsQuotedInsideAQueryOnly() {
        assertThat(inline("(select {o: sy from: t})")).isEqualTo("(select {o: (quote 'qty) from: t})");
        assertThat(inline("(list sy)")).isEqualTo("(list 'qty)");
    }

    @Test
    void functionsAreInlinedAsTheEngineCallsThem() {
        assertThat(inline("(select {d: (dbl qty) from: t})")).as("a one-expression function: its expression")
                .isEqualTo("(select {d: (* qty 2) from: t})");
        assertThat(inline("(select {d: (addw qty) from: t})")).as("the function sees t's columns, not the global w")
                .isEqualTo("(select {d: (+ qty w) from: t})");
        assertThat(inline("(addw 1)")).isEqualTo("(+ 1 100)");
        assertThat(inline("(twice 1)")).as("locals: called as a function, its own globals inlined")
                .isEqualTo("((fn [x] ((let y (* x 2)) (+ y 5))) 1)");
        assertThat(inline("(fact 5)")).as("a call of itself is a call of self")
                .isEqualTo("((fn [n] ((if (<= n 1) 1 (* n (self (- n 1)))))) 5)");
        assertThatThrownBy(() -> inline("(ping 1)")).isInstanceOf(UnsupportedQueryError.class).hasMessageContaining("self");
    }

    private static String bind(String source, java.util.Map<String, RayValue> locals) {
        return RayfallPrinter.printExpression(GlobalInliner.bind(RayfallReader.read(source), SNAPSHOT, locals));
    }

    @Test
    void aCalledFunctionsLocalsGoWhereItsFrameIsRead() {
        java.util.Map<String, RayValue> locals = java.util.Map.of("x", I64Atom.of(7), "k",
                io.rayforce.cluster.client.value.Symbol.of("a"), "t", io.rayforce.cluster.client.value.Symbol.of("other"),
                "w", I64Atom.of(1), "L", RayList.of(I64Atom.of(1)), "f", GLOBALS.current(java.util.List.of("dbl")).get("dbl"));
        assertThat(bind("(insert t (list k x))", locals)).as("a local shadows the cluster table t")
                .isEqualTo("(insert 'other (list 'a 7))");
        assertThat(bind("(update {v: x from: 't where: (== w k)})", locals))
                .as("inside a query the local w before t's column w, and a symbol quoted")
                .isEqualTo("(update {v: 7 from: 't where: (== 1 (quote 'a))})");
        assertThat(bind("(+ K x)", locals)).as("globals stay for the request's own inlining").isEqualTo("(+ K 7)");
        assertThat(bind("((fn [x] (+ x 1)) x)", locals)).as("a nested function's parameter").isEqualTo("((fn [x] (+ x 1)) 7)");
        assertThat(bind("(count L)", locals)).as("a list of atoms as the call that makes it").isEqualTo("(count (list 1))");
        assertThat(bind("(select {n: (count L) from: trades})", locals)).as("inside a query, quoted")
                .isEqualTo("(select {n: (count (quote (1))) from: trades})");
        assertThat(bind("(map f [1 2])", locals)).as("a function passed in, as it is").isEqualTo("(map (fn [x] ((* x 2))) [1 2])");
    }
}
