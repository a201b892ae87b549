package io.rayforce.cluster.router.plan.aggregate;

import static io.rayforce.cluster.router.plan.aggregate.Rules.groups;
import static io.rayforce.cluster.router.plan.aggregate.Rules.over;
import static io.rayforce.cluster.router.plan.aggregate.Rules.table;
import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.value.F64Atom;
import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Nulls;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.router.plan.Hidden;
import org.junit.jupiter.api.Test;

/** {@code prod}: the shards' products of their values, multiplied; null over no values in a select, 1 of a vector. */
class ProdRuleTest {
    private static final ProdRule OF_VECTOR = new ProdRule(false);
    private static final ProdRule IN_SELECT = new ProdRule(true);
    private static final String N = Hidden.part("p", "n");

    @Test
    void shardsSendTheirProductAndHowManyValues() {
        assertThat(Rules.partials(OF_VECTOR, "p", true)).isEqualTo("[p: (prod x), __p_n: (- (count x) (sum (nil? x)))]");
        assertThat(new String[] {OF_VECTOR.name(), IN_SELECT.name()}).containsExactly("PROD", "PROD_SELECT");
    }

    @Test
    void i64ProductsWrapAsTheEngines() {
        // the engine: (prod [4611686018427387904 2]) is the null sentinel's bits, (prod [9223372036854775807 2]) -2
        RayTable p = table("p", I64Vector.of(4611686018427387904L, 2, Long.MAX_VALUE, Nulls.I64), N, I64Vector.of(1, 1, 1, 1));
        I64Vector got = (I64Vector) OF_VECTOR.combine(over("p", OF_VECTOR), p, groups(new int[] {0, 1}, new int[] {1, 2}, new int[] {3, 1}));
        assertThat(got.toArray()).containsExactly(Long.MIN_VALUE, -2, 0);
    }

    @Test
    void shardsWithoutValuesAreLeftOut() {
        // a shard whose rows are all null (or none match) answers a null product in a select, and 0 values
        RayTable p = table("p", I64Vector.of(6, Nulls.I64, 5), N, I64Vector.of(3, 0, 1));
        assertThat(OF_VECTOR.combine(over("p", OF_VECTOR), p, groups(new int[] {0, 1, 2}))).isEqualTo(I64Vector.of(30));
        assertThat(IN_SELECT.combine(over("p", IN_SELECT), p, groups(new int[] {0, 1, 2}))).isEqualTo(I64Vector.of(30));
    }

    @Test
    void noValuesGiveOneOfAVectorAndNullInASelect() {
        // the engine: (prod [0N 0N]) is 1, (select {p: (prod x) by: g ...}) of a group of nulls null
        RayTable p = table("p", I64Vector.of(Nulls.I64, 1), N, I64Vector.of(0, 0));
        assertThat(OF_VECTOR.combine(over("p", OF_VECTOR), p, groups(new int[] {0, 1}))).isEqualTo(I64Vector.of(1));
        assertThat(((I64Vector) IN_SELECT.combine(over("p", IN_SELECT), p, groups(new int[] {0, 1}))).isNull(0)).isTrue();
        RayTable f = table("p", F64Vector.of(Nulls.F64), N, I64Vector.of(0));
        assertThat(OF_VECTOR.combine(over("p", OF_VECTOR), f, groups(new int[] {0}))).isEqualTo(F64Vector.of(1.0));
        assertThat(((F64Vector) IN_SELECT.combine(over("p", IN_SELECT), f, groups(new int[] {0}))).isNull(0)).isTrue();
        assertThat(OF_VECTOR.overNothing(over("p", OF_VECTOR), I64Vector.of())).isEqualTo(I64Atom.of(1));
        assertThat(OF_VECTOR.overNothing(over("p", OF_VECTOR), F64Vector.of())).isEqualTo(F64Atom.of(1.0));
        assertThat(((I64Atom) IN_SELECT.overNothing(over("p", IN_SELECT), I64Vector.of())).isNull()).isTrue();
    }

    @Test
    void f64ProductsThatOverflowAreNull() {
        // the engine: (prod [1e200 1e200]) is null
        RayTable p = table("p", F64Vector.of(1e200, 1e200, -0.5), N, I64Vector.of(1, 1, 1));
        F64Vector got = (F64Vector) OF_VECTOR.combine(over("p", OF_VECTOR), p, groups(new int[] {0, 1}, new int[] {0, 2}));
        assertThat(got.isNull(0)).isTrue();
        assertThat(got.get(1)).isEqualTo(-0.5e200);
    }
}
