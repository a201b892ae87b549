package io.rayforce.cluster.client.rayfall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.testing.EngineExtension;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Str;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.SymbolVector;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link Builtins} against the pinned engine: the table lists exactly the engine's bindings, the
 * data-path rule refuses exactly the ones that are not pure, and the engine still behaves the
 * way the rule assumes (an engine upgrade that changes any of it fails here).
 */
class BuiltinsEngineTest {
    @RegisterExtension
    static final EngineExtension engine = new EngineExtension();

    /** Words the evaluator knows that are not bindings in (env 0). */
    private static final Set<String> KEYWORDS = Set.of("null", "true", "false", "self");

    @Test
    void theTableListsEveryBindingOfTheEngineAndNothingElse() {
        SymbolVector bound = (SymbolVector) engine.client().execute("(key (env 0))");
        Set<String> engineNames = new TreeSet<>(bound.toList());
        Set<String> tableNames = new TreeSet<>(Builtins.all().keySet());
        tableNames.removeAll(KEYWORDS);
        assertThat(engineNames).as("bindings of the engine that builtins.tsv does not classify")
                .isSubsetOf(tableNames);
        assertThat(tableNames).as("names in builtins.tsv the engine does not define").isSubsetOf(engineNames);
        assertThat(engineNames).hasSizeGreaterThan(300);
    }

    @Test
    void theRuleRefusesExactlyTheBuiltinsThatAreNotPure() {
        List<String> wrong = new ArrayList<>();
        for (Builtins.Entry e : Builtins.all().values()) {
            if (KEYWORDS.contains(e.name())) {
                continue;
            }
            boolean accepted = DataPathGate.isExpression(RayList.of(Name.of(e.name()), Name.of("x")))
                    && DataPathGate.isExpression(RayList.of(Name.of("map"), Name.of(e.name()), Name.of("x")));
            if (accepted != (e.kind() == Builtins.Kind.PURE)) {
                wrong.add(e.name() + " (" + e.kind() + ", " + (accepted ? "accepted" : "refused") + ")");
            }
        }
        assertThat(wrong).isEmpty();
    }

    /** UNARY_ROWWISE holds exactly the row-wise builtins a function call with one argument accepts (modify's call). */
    @Test
    void unaryRowWiseBuiltinsAreTheOnesCallableWithOneArgument() {
        TCPClient c = engine.client();
        // columns of several types: a unary builtin takes at least one of them, a binary one none (type)
        c.execute("(set ut (table [i f s str ts] (list [1 2 3] [1.5 2.5 3.5] [a b c] (list \"ab\" \"c\" \"d\") [2024.01.02D10:00:00.000000000 "
                + "2024.01.02D11:00:00.000000000 2024.01.02D12:00:00.000000000])))");
        List<String> wrong = new ArrayList<>();
        for (Builtins.Entry e : Builtins.all().values()) {
            if (e.placement() != Builtins.Placement.ROWWISE || e.kind() != Builtins.Kind.PURE) {
                continue;
            }
            boolean callable = false;
            for (String col : List.of("i", "f", "s", "str", "ts")) {
                try {
                    c.execute("(modify ut '" + col + " " + e.name() + ")");
                    callable = true;
                } catch (RayforceEvaluationError err) {
                    // refused: not callable with one argument, or not on this column's type
                }
            }
            if (callable != Builtins.UNARY_ROWWISE.contains(e.name())) {
                wrong.add(e.name() + (callable ? " is callable with one argument" : " is not"));
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(Builtins.UNARY_ROWWISE).allMatch(n -> Builtins.placement(n) == Builtins.Placement.ROWWISE);
    }

    @Test
    void theEngineCallsTheBuiltinASymbolOrADottedNameNames() {
        TCPClient c = engine.client();
        // a symbol in call position is the builtin of that name, however it was computed: heads are checked as names
        assertThat(c.execute("('til 3)")).isEqualTo(I64Vector.of(0, 1, 2));
        assertThat(c.execute("((first [til]) 3)")).isEqualTo(I64Vector.of(0, 1, 2));
        // a.f applies f to a: every segment of a dotted name is checked
        assertThat(c.execute("(do (let v 3) v.til)")).isEqualTo(I64Vector.of(0, 1, 2));
        // resolve reaches a builtin by a name chosen at run time
        assertThat(c.execute("((resolve 'til) 3)")).isEqualTo(I64Vector.of(0, 1, 2));
    }

    @Test
    void theEngineDoesNotResolveNamesWhereTheRuleLetsThemThrough() {
        TCPClient c = engine.client();
        // value, get and the higher-order builtins take values, never a symbol naming a function
        assertThatThrownBy(() -> c.execute("(value 'til)")).isInstanceOf(RayforceEvaluationError.class);
        assertThatThrownBy(() -> c.execute("((get 'til) 3)")).isInstanceOf(RayforceEvaluationError.class);
        assertThatThrownBy(() -> c.execute("(map 'til [1 2])")).isInstanceOf(RayforceEvaluationError.class);
        assertThatThrownBy(() -> c.execute("(fold 'til [1 2])")).isInstanceOf(RayforceEvaluationError.class);
        // a symbol handler of try is returned, not called; a parameter holding a symbol is not called either
        assertThat(c.execute("(try (raise 3) 'til)")).isEqualTo(Symbol.of("til"));
        assertThatThrownBy(() -> c.execute("((fn [f x] (f x)) 'til 3)")).isInstanceOf(RayforceEvaluationError.class);
        // eval does not read text; strings are not callable
        assertThat(c.execute("(eval \"(til 3)\")")).isEqualTo(Str.of("(til 3)"));
        assertThatThrownBy(() -> c.execute("(\"til\" 3)")).isInstanceOf(RayforceEvaluationError.class);
    }

    @Test
    void tableFunctionsOnAGlobalByNameAnswerACopy() {
        TCPClient c = engine.client();
        c.execute("(set bt (table [a] (list [1 2])))");
        RayValue copy = c.execute("(count (insert bt (list 3)))");
        assertThat(copy).isEqualTo(c.execute("3"));
        assertThat(c.execute("(count bt)")).as("the global is unchanged").isEqualTo(c.execute("2"));
        c.execute("(count (update {a: (* a 10) from: bt}))");
        assertThat(c.execute("(sum (at bt 'a))")).isEqualTo(c.execute("3"));
        c.execute("(del bt)");
    }

    @Test
    void topLevelLetSetsAGlobalAndMayRebindABuiltin() {
        TCPClient c = engine.client();
        c.execute("(let gateprobe 5)");
        assertThat(c.execute("gateprobe")).isEqualTo(c.execute("5"));
        c.execute("(del gateprobe)");
        assertThat(DataPathGate.isExpression(RayfallReader.read("(let gateprobe 5)"))).isFalse();
    }
}
