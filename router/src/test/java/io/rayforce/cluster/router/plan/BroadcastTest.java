package io.rayforce.cluster.router.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.client.ipc.ValueWriter;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.router.exec.ClusterQueryError;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A join's right side made ready to ship to every shard, within the broadcast limit. */
class BroadcastTest {
    private static final RayTable RIGHT = RayTable.builder().column("k", SymbolVector.of("a", "b"))
            .column(Hidden.SEQ, I64Vector.of(4, 9)).column("v", I64Vector.of(1, 2)).build();

    @Test
    void theRightSidesSequenceIsRenamedInPlace() {
        RayTable got = new Broadcast(null, "r").shipped(RIGHT);
        assertThat(got.columnNames()).containsExactly("k", Hidden.RIGHT_SEQ, "v");
        assertThat(got.columns()).isEqualTo(RIGHT.columns());
    }

    @Test
    void noRowsShipAsNoRows() {
        RayTable got = new Broadcast(null, "r").shipped(RIGHT.slice(0, 0));
        assertThat(got.rowCount()).isZero();
        assertThat(got.columnNames()).containsExactly("k", Hidden.RIGHT_SEQ, "v");
    }

    /** A table of {@code rows} rows of 8 MB each on the wire: one vector referenced by every row, little memory here. */
    private static RayTable blobs(int rows) {
        RayValue[] items = new RayValue[rows];
        Arrays.fill(items, new I64Vector(new long[1 << 20]));
        return RayTable.builder().column("blob", new RayList(items)).column(Hidden.SEQ, I64Vector.of(new long[rows])).build();
    }

    @Test
    void aRightSideOverTheLimitIsRefusedWithAWayOut() {
        RayTable big = blobs(17);
        assertThat(ValueWriter.sizeOf(big)).isGreaterThan(Broadcast.LIMIT_BYTES);
        long mb = ValueWriter.sizeOf(big) / (1024 * 1024);
        assertThatThrownBy(() -> new Broadcast(null, "quotes").shipped(big)).isInstanceOf(ClusterQueryError.class)
                .hasMessage("this join would ship " + mb + " MB of its right side quotes to every shard (limit 128 MB); shard "
                        + "both tables on the join key so it runs co-located, or filter the right side");
    }

    @Test
    void aRightSideJustUnderTheLimitShips() {
        RayTable big = blobs(15);
        assertThat(ValueWriter.sizeOf(big)).isLessThan(Broadcast.LIMIT_BYTES);
        assertThat(new Broadcast(null, "quotes").shipped(big).columnNames()).containsExactly("blob", Hidden.RIGHT_SEQ);
    }

    @Test
    void runAndExplain() {
        Broadcast b = new Broadcast(new Fixed(RIGHT), "r");
        assertThat(((RayTable) Fixed.run(b)).columnNames()).containsExactly("k", Hidden.RIGHT_SEQ, "v");
        assertThat(b.explain()).isEqualTo("Broadcast r (at most 128 MB)\n  Fixed");
    }
}
