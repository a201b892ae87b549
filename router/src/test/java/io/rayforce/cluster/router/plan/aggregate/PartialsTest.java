package io.rayforce.cluster.router.plan.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.client.query.Column;
import io.rayforce.cluster.client.value.BoolVector;
import io.rayforce.cluster.client.value.F32Vector;
import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.I16Vector;
import io.rayforce.cluster.client.value.I32Vector;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Nulls;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.TimestampVector;
import io.rayforce.cluster.client.value.U8Vector;
import io.rayforce.cluster.client.value.Vector;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pieces the rules share: partial expressions, and reading partial columns. */
class PartialsTest {
    @Test
    void partialExpressions() {
        assertThat(Partials.call("s", "sum", Column.of("x"))).hasToString("s: (sum x)");
        assertThat(Partials.nonNullCount("__s_n", Column.of("x"))).hasToString("__s_n: (- (count x) (sum (nil? x)))");
        assertThat(Partials.seqOfNonNull("__f_s", Column.of("x"), "max")).hasToString("__f_s: (max (if (nil? x) 0Nl __seq))");
    }

    @Test
    void anEmptyPartialColumnKeepsItsType() {
        assertThat(Partials.emptyLike(Rules.table("a", SymbolVector.of("x")), "a")).isEqualTo(SymbolVector.of());
        assertThat(Partials.emptyLike(Rules.table("a", SymbolVector.of("x")), "b")).isEqualTo(I64Vector.of());
        assertThat(Partials.emptyLike(null, "a")).isEqualTo(I64Vector.of());
    }

    @Test
    void gatheredValuesAreAListOfVectorsOrAPlainColumn() {
        RayList lists = RayList.of(I64Vector.of(1, 2), I64Vector.of());
        assertThat(Partials.valuesAt(lists, 0)).isEqualTo(I64Vector.of(1, 2));
        assertThat(Partials.valuesAt(I64Vector.of(5, 6), 1)).isEqualTo(I64Vector.of(6));
        assertThat(Partials.gathered(lists, new int[][] {{1, 0}, {}})).isEqualTo(List.of(List.of(I64Vector.of(), I64Vector.of(1, 2)),
                List.of()));
    }

    @Test
    void numbersAreTheNonNullValuesAsDoubles() {
        List<Vector> parts = List.of(I64Vector.of(1, Nulls.I64), F64Vector.of(Nulls.F64, 2.5), I32Vector.of(Nulls.I32, -3),
                U8Vector.of(255), BoolVector.of(true, false), I16Vector.of((short) 7), F32Vector.of(0.5f),
                new TimestampVector(new long[] {10, Nulls.I64}));
        assertThat(Partials.numbers(parts)).containsExactly(1, 2.5, -3, 255, 1, 0, 7, 0.5, 10);
        assertThat(Partials.numbers(List.of())).isEmpty();
    }

    @Test
    void textIsNotANumber() {
        assertThatThrownBy(() -> Partials.numbers(List.of(SymbolVector.of("a")))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected numbers, got a symbol column");
    }
}
