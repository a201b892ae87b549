package io.rayforce.cluster.client.rayfall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.value.Builtin;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.Lambda;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayType;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.SymbolVector;
import java.util.function.Predicate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The data-path rule on hand-written trees: what an expression may compute, and what a request
 * may write. The engine facts the rule stands on are checked against the engine itself in
 * {@link BuiltinsEngineTest}.
 */
class DataPathGateTest {
    private static final Predicate<String> SHARDS = g -> g.matches("[a-z]+__\\d+(__w\\d+)?");

    private static RayValue read(String src) {
        return RayfallReader.read(src);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "(+ 1 2)", "(select {s: (sum qty) by: sym from: trades where: (> px 1.5)})", "(til 10)",
        "(map (fn [x] (* x 2)) [1 2 3])", "((fn [x] (til x)) 3)", "(fold + [1 2 3])", "(try (+ 1 'a) (fn [e] e))",
        "(count (distinct (at trades 'sym)))", "(value {a: 1})", "(get t 'a)", "(resolve 'trades__3)",
        "(insert trades (list 1 'A))", "(update {px: (* px 2) from: trades})", "(delete {from: trades where: (> px 1)})",
        "([1 2 3] 1)", "(x 1)", "(modify t 'v neg)", "(modify t 'v (fn [x] (* x 2)))",
        "((fn [x] (do (let y 2) (+ x y))) 1)", "(do (let y 2) (+ y 1))", "(+ 1 (do (let y 2) y))", "(left-join [k] a b)", "'exit", "\"(exit 3)\"", "[exit read]",
        "(== sym 'A)", "x.count", "t.sym", "(if (> 1 0) 'a 'b)", "(xasc t 'px)",
        // quoted data at any depth: lists whose heads are values
        "(quote ([5 6] (\"e\" \"f\")))", "(quote (1 (2 (\"x\" 3))))"})
    void computingExpressionsPass(String src) {
        assertThatCode(() -> DataPathGate.checkExpression(read(src))).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // named
        "(exit 3)", "(select {x: (exit 3) from: trades})", "(read-csv [I64] \"/etc/passwd\")", "(.fs.list \"/\")",
        "(.os.getenv \"HOME\")", "(.sys.info)", "(.sys.exec \"id\")", "(eval (list 'til 3))", "(parse \"(til 3)\")",
        "(env 0)", "(de (ser til))", "(set x 5)", "(del trades)", "(let x 5)", "(let count 3)", "(if true (let x 5) 0)",
        "(do (let y (exit 1)) y)", "(do (let y 2) (set x y))", "(load \"x.rfl\")",
        "(println 1)", "(.log.snapshot)", "(.ipc.open \"h:1\")", "(write-bytes \"f\" 0x00)",
        // in every position
        "(select {from: t where: (== (exit 1) 0)})", "(select {s: (sum x) by: (exit 1) from: t})",
        "(update {px: (exit 1) from: 't})", "(delete {from: 't where: (exit 1)})", "(count (select {from: (exit 1)}))",
        "(map exit [1])", "(fold (fn [a b] (exit 1)) [1 2])", "(modify t 'v exit)", "(modify t 'v (fn [x] (.sys.exec x)))",
        "(modify t 'v (fn [x] (do (set y x) x)))", "(alter 't concat t)", "(fn [x] (.sys.exec x))", "(left-join [k] (exit 1) b)",
        "(select {from: (select {x: (exit 1) from: t})})",
        // reached without a plain name
        "('exit 3)", "((quote exit) 3)", "((first [til]) 3)", "((as 'sym \"exit\") 3)", "((lower 'EXIT) 3)",
        "((if true 'til 'neg) 3)", "((resolve 'exit) 3)", "(resolve (as 'sym \"exit\"))", "((at .sys 'build))",
        "(try (raise 3) exit)", "c.exit", "(do (let p \"/etc/passwd\") p.read)", "x.til.exit",
        // in-place writes and rebinding
        "(insert 'trades (list 1))", "(insert (as 'sym \"t\") (list 1))", "(update {px: 1 from: 'trades})",
        "((fn [t] (insert t (list 1))) 'trades)", "(fn [count] (count 1))", "(fn [exit] 1)", "(do (let til 5) til)",
        // names deep in quoted data are still checked
        "(quote ((exit 3)))", "(quote (1 (2 (.sys.exec \"id\"))))"})
    void sideEffectsAreRefusedWithAccess(String src) {
        assertThatThrownBy(() -> DataPathGate.checkExpression(read(src)))
                .isInstanceOf(DataPathGate.Refusal.class)
                .satisfies(e -> assertThat(((RayforceEvaluationError) e).code()).isEqualTo("access"));
    }

    @Test
    void theMessageNamesTheFunctionAndWhereItStood() {
        assertThatThrownBy(() -> DataPathGate.checkExpression(read("(select {x: (exit 3) from: trades})")))
                .hasMessageContaining("'exit'").hasMessageContaining("in x: of (select ...)");
        assertThatThrownBy(() -> DataPathGate.checkExpression(read("(select {from: t where: (> (.os.getenv \"H\") 1)})")))
                .hasMessageContaining("'.os.getenv'").hasMessageContaining("in where: of (select ...)");
        assertThatThrownBy(() -> DataPathGate.checkExpression(read("(map (fn [x] (exit x)) [1])")))
                .hasMessageContaining("in a function body");
        assertThatThrownBy(() -> DataPathGate.checkExpression(read("((first [til]) 3)")))
                .hasMessageContaining("chosen at run time");
        assertThatThrownBy(() -> DataPathGate.checkExpression(read("(exit 3)"))).hasMessageContaining("at the top level");
    }

    @Test
    void aFunctionAppliedToATableValueAnswersACopy() {
        // the write path's own form: (insert <table> rows) through a lambda, as the engine wants it
        RayValue table = io.rayforce.cluster.client.value.RayTable.builder()
                .column("a", io.rayforce.cluster.client.value.I64Vector.of(1, 2)).build();
        RayValue lambda = read("(fn [t d] (insert t d))");
        assertThat(DataPathGate.isExpression(RayList.of(lambda, table, read("(quote (list 3))")))).isTrue();
        assertThat(DataPathGate.isExpression(RayList.of(lambda, Symbol.of("trades"), read("(quote (list 3))")))).isFalse();
        assertThat(DataPathGate.isExpression(RayList.of(lambda, read("(first ['trades])"), read("(quote (list 3))")))).isFalse();
    }

    @Test
    void valuesFromTheWireAreCheckedToo() {
        RayValue builtin = RayList.of(new Builtin(RayType.UNARY, "exit"), I64Atom.of(3));
        RayValue lambda = RayList.of(new Lambda((byte) 0, SymbolVector.of("x"), RayList.of(Name.of(".sys.exec"), Name.of("x")),
                null), I64Atom.of(1));
        RayValue symbolHead = RayList.of(Symbol.of("exit"), I64Atom.of(3));
        for (RayValue v : new RayValue[] {builtin, lambda, symbolHead}) {
            assertThat(DataPathGate.isExpression(v)).as(v.toString()).isFalse();
        }
        assertThat(DataPathGate.isExpression(RayList.of(new Builtin(RayType.UNARY, "til"), I64Atom.of(3)))).isTrue();
    }

    @Test
    void aLambdaFromTheEngineHasTheListOfItsExpressionsAsBody() {
        // (fn [x] (* x 2)) as the engine serializes it: the body is the list of the body's expressions
        RayValue doubled = new Lambda((byte) 0, SymbolVector.of("x"), RayList.of(read("(* x 2)")), null);
        assertThat(DataPathGate.isExpression(RayList.of(doubled, I64Atom.of(21)))).isTrue();
        RayValue twoSteps = new Lambda((byte) 0, SymbolVector.of("x"), RayList.of(read("(let y (* x 2))"), read("(+ y 1)")), null);
        assertThat(DataPathGate.isExpression(RayList.of(twoSteps, I64Atom.of(1)))).isTrue();
        for (String hostile : new String[] {"(exit 1)", "(set y 1)", "(.sys.exec \"ls\")", "(eval (parse \"(exit 1)\"))", "(let count 3)"}) {
            RayValue f = new Lambda((byte) 0, SymbolVector.of("x"), RayList.of(read("(+ x 1)"), read(hostile)), null);
            assertThat(DataPathGate.isExpression(RayList.of(f, I64Atom.of(1)))).as(hostile).isFalse();
        }
    }

    @Test
    void requestsWriteOnlyOwnedGlobalsInStatementPosition() {
        for (String ok : new String[] {"(count (insert 'trades__3 (table [a] (list [1]))))", "(count (set 'trades__3__w7 (update {px: 1 from: trades__3})))",
            "(del 'trades__3__w7)", "(if (== (type (resolve 'trades__3__w7)) 'TABLE) (do (set 'trades__3 trades__3__w7) (del 'trades__3__w7) 1) 0)",
            "(delete {from: 'trades__3 where: (within __seq [1 5])})", "(count (upsert 'trades__3 1 (table [a] (list [1]))))",
            "(if (== (type (resolve 'trades__0)) 'null) (count (set trades__0 (table [a] (list [])))) -1)",
            "(select {from: trades__3})", "(do (alter 'trades__3 set 1 10) trades__3)", "(alter 'trades__3 concat [4 5])",
            "(alter 'trades__3 remove 0)"}) {
            assertThatCode(() -> DataPathGate.checkRequest(read(ok), SHARDS)).as(ok).doesNotThrowAnyException();
        }
        for (String bad : new String[] {"(set 'users (table [a] (list [1])))", "(count (insert 'x (list 1)))", "(del 'count)",
            "(count (set 'trades__3__w7 (update {px: (set 'trades__1 0) from: trades__3})))",
            "(count (insert 'trades__3 (exit 1)))", "(delete {from: 'trades__3 where: (.sys.exec \"x\")})",
            "(select {x: (set 'trades__3 0) from: trades__3})", "(do (del 'trades__2) (exit 0))",
            "(set 'trades__3 (set 'trades__4 1))", "(alter 'users set 0 1)", "(alter 'trades__3 + 1 1)",
            "(alter 'trades__3 set 0 (exit 1))", "(alter 'trades__3 concat (set 'trades__4 1))"}) {
            assertThatThrownBy(() -> DataPathGate.checkRequest(read(bad), SHARDS)).as(bad).isInstanceOf(DataPathGate.Refusal.class);
        }
    }

    /** The globals a request writes, in order, from the same walk that checks it; none for an expression; refusals as checkRequest's. */
    @Test
    void checkedWritesNamesWhatARequestWrites() {
        assertThat(DataPathGate.checkedWrites(read("(if (== (type (resolve 'trades__3__w7)) 'TABLE) (do (set 'trades__3 trades__3__w7) "
                + "(del 'trades__3__w7) 1) 0)"), SHARDS)).containsExactly("trades__3", "trades__3__w7");
        assertThat(DataPathGate.checkedWrites(read("(count (upsert 'trades__3 1 (table [a] (list [1]))))"), SHARDS))
                .containsExactly("trades__3");
        assertThat(DataPathGate.checkedWrites(read("(delete {from: 'trades__3 where: (within __seq [1 5])})"), SHARDS))
                .containsExactly("trades__3");
        assertThat(DataPathGate.checkedWrites(read("(select {from: trades__3})"), SHARDS)).isEmpty();
        assertThat(DataPathGate.checkedWrites(read("(do (+ 1 2) (count trades__3))"), SHARDS)).isEmpty();
        assertThatThrownBy(() -> DataPathGate.checkedWrites(read("(do (del 'trades__2) (exit 0))"), SHARDS))
                .isInstanceOf(DataPathGate.Refusal.class);
    }

    @Test
    void treesDeeperThanTheEngineDecodesAreRefused() {
        RayValue v = I64Atom.of(1);
        for (int i = 0; i < TreeWalk.MAX_DEPTH + 5; i++) {
            v = RayList.of(Name.of("neg"), v);
        }
        RayValue deep = v;
        assertThatThrownBy(() -> DataPathGate.checkExpression(deep)).isInstanceOf(TreeWalk.TooDeep.class);
    }
}
