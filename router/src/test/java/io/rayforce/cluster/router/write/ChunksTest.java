package io.rayforce.cluster.router.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.ipc.ValueWriter;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.router.testing.TradeData;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Rows cut into requests: every piece under the byte target, nothing lost, nothing reordered. */
class ChunksTest {
    @Property(tries = 40)
    void piecesStayUnderTheTargetAndJoinBackToTheRows(@ForAll @IntRange(min = 0, max = 3000) int rows,
            @ForAll @IntRange(min = 2_000, max = 200_000) int target) {
        RayTable t = TradeData.rows(rows, 0, rows);
        List<RayTable> pieces = Chunks.of(t, target, "test");
        assertThat(pieces).isNotEmpty();
        for (RayTable p : pieces) {
            assertThat(p.rowCount() == 1 || ValueWriter.sizeOf(p) <= target * 1.5)
                    .as("piece of %d rows, %d bytes, target %d", p.rowCount(), ValueWriter.sizeOf(p), target).isTrue();
        }
        List<Vector> cols = new ArrayList<>();
        for (int c = 0; c < t.columnCount(); c++) {
            int col = c;
            cols.add(Vector.concat(pieces.stream().map(p -> p.column(col)).toList()));
        }
        assertThat(RayTable.of(t.columnNames(), cols)).isEqualTo(t);
    }
}
