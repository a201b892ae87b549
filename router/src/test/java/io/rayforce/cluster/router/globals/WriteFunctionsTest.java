package io.rayforce.cluster.router.globals;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.rayfall.DataPathGate;
import io.rayforce.cluster.client.rayfall.RayfallPrinter;
import io.rayforce.cluster.client.rayfall.RayfallReader;
import io.rayforce.cluster.client.value.Lambda;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.SymbolVector;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which functions write, found through the functions they call, and the copy of one the data-path rule checks. */
class WriteFunctionsTest {
    private static Lambda lambda(String params, String... forms) {
        List<RayValue> body = java.util.Arrays.stream(forms).map(RayfallReader::read).toList();
        return new Lambda((byte) 0, RayfallReader.read(params), RayList.of(body), null);
    }

    @Test
    void aFunctionWritesWhenItsBodyWritesWhereItRuns() {
        assertThat(WriteFunctions.defines(RayfallReader.read("(fn [t x] (insert t x))"))).isTrue();
        assertThat(WriteFunctions.defines(RayfallReader.read("(fn [x] (let y 1) (set z (+ x y)))"))).isTrue();
        assertThat(WriteFunctions.defines(RayfallReader.read("(fn [x] (if x (update {v: 0 from: 't})))"))).isTrue();
        assertThat(WriteFunctions.defines(RayfallReader.read("(fn [x] (count (insert 't x)))"))).as("lifted from an expression")
                .isTrue();
        assertThat(WriteFunctions.defines(RayfallReader.read("(fn [x] (let y (* x 2)) y)"))).as("a let is a local").isFalse();
        assertThat(WriteFunctions.defines(RayfallReader.read("(fn [x] (* x 2))"))).isFalse();
        assertThat(WriteFunctions.defines(RayfallReader.read("(fn [x] (map (fn [y] (insert 't y)) x))")))
                .as("a statement inside a nested function does not run where the body runs").isFalse();
        assertThat(WriteFunctions.defines(RayfallReader.read("(+ 1 2)"))).isFalse();
    }

    @Test
    void writeFunctionsAreFoundThroughTheFunctionsTheRequestCalls() {
        CountingGlobals counted = new CountingGlobals();
        counted.put("upd", lambda("[t x]", "(insert t x)"));
        counted.put("twice", lambda("[x]", "(upd 'a x)", "(upd 'b x)"));
        counted.put("outer", lambda("[x]", "(+ 1 (twice x))"));
        counted.put("pure", lambda("[x]", "(* x 2)"));
        counted.put("n", io.rayforce.cluster.client.value.I64Atom.of(3));
        WriteFunctions found = WriteFunctions.calledIn(RayfallReader.read("(list (outer n) (pure 1))"), name -> true, counted);
        assertThat(found.isCall(RayfallReader.read("(outer 1)"))).as("through twice, then upd").isTrue();
        assertThat(found.isCall(RayfallReader.read("(twice 1)"))).isTrue();
        assertThat(found.isCall(RayfallReader.read("(upd 't 1)"))).isTrue();
        assertThat(found.isCall(RayfallReader.read("(pure 1)"))).isFalse();
        assertThat(found.isCall(RayfallReader.read("n"))).isFalse();
        assertThat(counted.lookups).as("one lookup per level of calls").hasSize(3);
        counted.lookups.clear();
        assertThat(WriteFunctions.calledIn(RayfallReader.read("(select {s: (sum qty) from: t})"), name -> true, counted))
                .isSameAs(WriteFunctions.NONE);
        assertThat(counted.lookups).as("builtins only: no lookup").isEmpty();
        // a dict's values start with a column's name: a list of expressions, not a call of px
        assertThat(WriteFunctions.calledIn(RayfallReader.read("(select {px: px from: t where: (== id 7)})"), name -> true, counted))
                .isSameAs(WriteFunctions.NONE);
        assertThat(counted.lookups).as("no lookup for a dict's values").isEmpty();
        // a call inside a dict's values still is one
        counted.put("upd", lambda("[t x]", "(insert t x)"));
        assertThat(WriteFunctions.calledIn(RayfallReader.read("(select {px: (upd 't px) from: t})"), name -> true, counted)
                .isCall(RayfallReader.read("(upd 't 1)"))).isTrue();
    }

    @Test
    void theDefinitionIsCheckedWithItsStatementsReadAsCalls() {
        RayList fn = (RayList) RayfallReader.read("(fn [t x] (insert t x) (update {v: (* v 2) from: 't}) (set g x) (count t))");
        RayValue checked = WriteFunctions.checkedCopy(fn);
        assertThat(RayfallPrinter.printExpression(checked))
                .isEqualTo("(fn [t x] (list t x) (select {v: (* v 2) from: 't}) (list g x) (count t))");
        assertThat(DataPathGate.isExpression(checked)).isTrue();
        assertThat(DataPathGate.isExpression(WriteFunctions.checkedCopy(
                (RayList) RayfallReader.read("(fn [x] (insert 't x) (exit 1))")))).isFalse();
        assertThat(DataPathGate.isExpression(WriteFunctions.checkedCopy(
                (RayList) RayfallReader.read("(fn [x] (update {v: (.sys.exec \"id\") from: 't}))")))).isFalse();
        Lambda stored = WriteFunctions.lambda(fn, lambda("[t x]", "0"));
        assertThat(stored.params()).isEqualTo(SymbolVector.of("t", "x"));
        assertThat(((RayList) stored.body()).length()).isEqualTo(4);
    }
}
