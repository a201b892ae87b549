package io.rayforce.cluster.router.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.client.value.F64Atom;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.router.exec.ClusterQueryError;
import org.junit.jupiter.api.Test;

/** {@code (count t)}: the shards' counts added up. */
class SumCountsTest {
    @Test
    void theShardsCountsAreAddedUp() {
        assertThat(SumCounts.sum(RayList.of(I64Atom.of(3), I64Atom.of(0), I64Atom.of(4)))).isEqualTo(I64Atom.of(7));
        assertThat(SumCounts.sum(RayList.of(I64Atom.of(5)))).isEqualTo(I64Atom.of(5));
    }

    @Test
    void noShardCountsZero() {
        assertThat(SumCounts.sum(RayList.EMPTY)).isEqualTo(I64Atom.of(0));
    }

    @Test
    void anAnswerThatIsNotACountIsAnError() {
        assertThatThrownBy(() -> SumCounts.sum(RayList.of(I64Atom.of(1), F64Atom.of(2.0))))
                .isInstanceOf(ClusterQueryError.class).hasMessageStartingWith("a shard answered (count ...) with ");
    }

    @Test
    void runAndExplain() {
        SumCounts plan = new SumCounts(new Fixed(RayList.of(I64Atom.of(2), I64Atom.of(40))));
        assertThat(Fixed.run(plan)).isEqualTo(I64Atom.of(42));
        assertThat(plan.explain()).isEqualTo("SumCounts\n  Fixed");
    }
}
