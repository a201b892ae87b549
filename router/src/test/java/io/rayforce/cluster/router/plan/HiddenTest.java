package io.rayforce.cluster.router.plan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The names of the router's own columns. */
class HiddenTest {
    @Test
    void everyHiddenNameStartsWithThePrefix() {
        for (String n : new String[] {Hidden.SEQ, Hidden.FIRST_SEQ, Hidden.LEFT_SEQ, Hidden.RIGHT_SEQ, Hidden.VALUES,
            Hidden.ROWS, Hidden.orderKey(3), Hidden.part("avg_px", "n")}) {
            assertThat(Hidden.is(n)).as(n).isTrue();
        }
        assertThat(Hidden.is("px")).isFalse();
        assertThat(Hidden.is("_x")).isFalse();
    }

    @Test
    void namesAreFixed() {
        assertThat(Hidden.SEQ).isEqualTo("__seq");
        assertThat(Hidden.orderKey(0)).isEqualTo("__o0");
        assertThat(Hidden.part("a", "n")).isEqualTo("__a_n");
    }
}
