package io.rayforce.cluster.router.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.SymbolVector;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Shard tables viewed as one, with each part's place in the whole. */
class PartsTest {
    private static RayTable part(long... ids) {
        String[] syms = new String[ids.length];
        for (int i = 0; i < ids.length; i++) {
            syms[i] = "s" + ids[i];
        }
        return RayTable.builder().column("id", I64Vector.of(ids)).column("sym", SymbolVector.of(syms)).build();
    }

    @Test
    void partsAreConcatenatedInOrderWithTheirOffsets() {
        Parts p = new Parts(List.of(part(1, 2), part(), part(3, 4, 5)));
        assertThat(p.count()).isEqualTo(3);
        assertThat(p.totalRows()).isEqualTo(5);
        assertThat(new int[] {p.offset(0), p.offset(1), p.offset(2)}).containsExactly(0, 2, 2);
        assertThat(new int[] {p.rows(0), p.rows(1), p.rows(2)}).containsExactly(2, 0, 3);
        assertThat(p.all()).isEqualTo(part(1, 2, 3, 4, 5));
    }

    @Test
    void onePartIsItsOwnWhole() {
        RayTable t = part(7, 8);
        Parts p = new Parts(List.of(t));
        assertThat(p.all()).isSameAs(t);
        assertThat(p.totalRows()).isEqualTo(2);
    }

    @Test
    void emptyPartsMakeAnEmptyWholeWithTheirColumns() {
        Parts p = new Parts(List.of(part(), part()));
        assertThat(p.totalRows()).isZero();
        assertThat(p.all().columnNames()).containsExactly("id", "sym");
    }

    @Test
    void noPartsIsAnError() {
        assertThatThrownBy(() -> new Parts(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no parts to merge");
    }

    @Test
    void partsMustAgreeOnTheirColumns() {
        RayTable other = RayTable.builder().column("sym", SymbolVector.of("a")).column("id", I64Vector.of(1)).build();
        assertThatThrownBy(() -> new Parts(List.of(part(1), other))).isInstanceOf(IllegalStateException.class)
                .hasMessage("shard results disagree on columns: [id, sym] vs [sym, id]");
    }
}
