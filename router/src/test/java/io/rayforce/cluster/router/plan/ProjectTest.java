package io.rayforce.cluster.router.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.SymbolVector;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keeping named columns, or the visible ones. */
class ProjectTest {
    private static final RayTable T = RayTable.builder().column("a", I64Vector.of(1, 2)).column(Hidden.SEQ, I64Vector.of(7, 8))
            .column("b", SymbolVector.of("x", "y")).column(Hidden.orderKey(0), I64Vector.of(2, 1)).build();

    @Test
    void namedColumnsInTheGivenOrder() {
        RayTable got = new Project(null, List.of("b", "a")).apply(T);
        assertThat(got).isEqualTo(RayTable.builder().column("b", SymbolVector.of("x", "y")).column("a", I64Vector.of(1, 2)).build());
    }

    @Test
    void visibleDropsEveryHiddenColumnKeepingTheOthersOrder() {
        RayTable got = Project.visible(null).apply(T);
        assertThat(got.columnNames()).containsExactly("a", "b");
        assertThat(got.rowCount()).isEqualTo(2);
    }

    @Test
    void aTableThatAlreadyHasTheColumnsIsKept() {
        RayTable ab = new Project(null, List.of("a", "b")).apply(T);
        assertThat(new Project(null, List.of("a", "b")).apply(ab)).isSameAs(ab);
        assertThat(Project.visible(null).apply(ab)).isSameAs(ab);
    }

    @Test
    void noRowsKeepsTheColumnsAndTypes() {
        RayTable got = new Project(null, List.of("b")).apply(T.slice(0, 0));
        assertThat(got).isEqualTo(RayTable.builder().column("b", SymbolVector.of()).build());
    }

    @Test
    void anUnknownColumnIsAnError() {
        assertThatThrownBy(() -> new Project(null, List.of("zz")).apply(T)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no column zz");
    }

    @Test
    void runAndExplain() {
        Project p = new Project(new Fixed(T), List.of("a"));
        assertThat(Fixed.run(p)).isEqualTo(RayTable.builder().column("a", I64Vector.of(1, 2)).build());
        assertThat(p.explain()).isEqualTo("Project [a]\n  Fixed");
        assertThat(Project.visible(new Fixed(T)).describe()).isEqualTo("Project visible columns");
    }
}
