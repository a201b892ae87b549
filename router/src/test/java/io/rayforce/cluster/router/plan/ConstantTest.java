package io.rayforce.cluster.router.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayTable;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** A value the planner already knows. */
class ConstantTest {
    @Test
    void runAnswersTheValueWithoutInputs() {
        RayTable empty = RayTable.builder().column("a", I64Vector.of()).build();
        assertThat(Fixed.run(new Constant(empty))).isSameAs(empty);
        assertThat(new Constant(empty).inputs()).isEmpty();
    }

    @Test
    void explainAbbreviatesTheValue() {
        assertThat(new Constant(I64Atom.of(3)).explain()).isEqualTo("Constant 3");
        String longVector = new Constant(I64Vector.of(LongStream.range(0, 100).toArray())).describe();
        assertThat(longVector).startsWith("Constant ").hasSizeLessThan(60);
    }
}
