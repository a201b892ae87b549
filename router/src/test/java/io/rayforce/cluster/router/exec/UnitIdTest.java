package io.rayforce.cluster.router.exec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A unit names its shard's global and prints as table/shard@epoch. */
class UnitIdTest {
    @Test
    void globalAndText() {
        UnitId u = new UnitId("trades", 3, 17);
        assertThat(u.global()).isEqualTo("trades__3");
        assertThat(u).hasToString("trades/3@17");
        assertThat(u).isEqualTo(new UnitId("trades", 3, 17)).isNotEqualTo(new UnitId("trades", 3, 18));
    }
}
