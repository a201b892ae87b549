package io.rayforce.cluster.router.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.router.merge.TakeSpec;
import org.junit.jupiter.api.Test;

/** A select's take applied at the router. */
class LimitTest {
    private static final RayTable T = RayTable.builder().column("a", I64Vector.of(1, 2, 3, 4, 5)).build();

    private static RayTable take(Long start, long count, RayTable t) {
        return new Limit(null, new TakeSpec(start, count)).apply(t);
    }

    private static I64Vector a(RayTable t) {
        return (I64Vector) t.column("a");
    }

    @Test
    void aHeadATailAndARange() {
        assertThat(a(take(null, 2, T))).isEqualTo(I64Vector.of(1, 2));
        assertThat(a(take(null, -2, T))).isEqualTo(I64Vector.of(4, 5));
        assertThat(a(take(1L, 2, T))).isEqualTo(I64Vector.of(2, 3));
        assertThat(a(take(-2L, 5, T))).isEqualTo(I64Vector.of(4, 5));
        assertThat(a(take(7L, 2, T))).isEqualTo(I64Vector.of());
        assertThat(a(take(null, 0, T))).isEqualTo(I64Vector.of());
    }

    @Test
    void aTakeOfEveryRowIsTheTableItself() {
        assertThat(take(null, 5, T)).isSameAs(T);
        assertThat(take(null, 9, T)).isSameAs(T);
        assertThat(take(null, -9, T)).isSameAs(T);
        RayTable none = T.slice(0, 0);
        assertThat(take(2L, 3, none)).isSameAs(none);
    }

    @Test
    void runTakesFromItsInput() {
        assertThat(Fixed.run(new Limit(new Fixed(T), new TakeSpec(null, -1)))).isEqualTo(T.slice(4, 5));
    }

    @Test
    void explainShowsTheTake() {
        assertThat(new Limit(new Fixed(T), new TakeSpec(null, -3)).explain()).isEqualTo("Limit take -3\n  Fixed");
        assertThat(new Limit(new Fixed(T), new TakeSpec(-2L, 3)).describe()).isEqualTo("Limit take [-2 3]");
    }
}
