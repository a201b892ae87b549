package io.rayforce.cluster.coordinator.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.coordinator.placement.PlacementException;
import io.rayforce.cluster.coordinator.proto.AddColumnsRequest;
import io.rayforce.cluster.coordinator.proto.ColumnSpec;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import org.junit.jupiter.api.Test;

/** The spec an update's new columns make: appended once, checked as a created table's columns. */
class ColumnChangesTest {
    private static final TableSpec SPEC = TableSpec.newBuilder().setName("t").setShardKey("k").setShardCount(3)
            .setReplicationFactor(2).setCreatedEpoch(7).addColumns(column("k", "i64")).addColumns(column("s", "symbol")).build();

    private static ColumnSpec column(String name, String type) {
        return ColumnSpec.newBuilder().setName(name).setType(type).build();
    }

    private static AddColumnsRequest adding(ColumnSpec... columns) {
        return AddColumnsRequest.newBuilder().setTable("t").setCreatedEpoch(7).addAllColumns(java.util.List.of(columns)).build();
    }

    @Test
    void newColumnsGoLastAndTheRestOfTheSpecStays() {
        TableSpec out = ColumnChanges.withColumns(SPEC, adding(column("n", "f64"), column("h", "string")));
        assertThat(out.getColumnsList()).extracting(ColumnSpec::getName).containsExactly("k", "s", "n", "h");
        assertThat(out.toBuilder().clearColumns().build()).isEqualTo(SPEC.toBuilder().clearColumns().build());
    }

    @Test
    void aRepeatedRequestChangesNothing() {
        TableSpec once = ColumnChanges.withColumns(SPEC, adding(column("n", "f64")));
        assertThat(ColumnChanges.withColumns(once, adding(column("n", "f64")))).isEqualTo(once);
    }

    @Test
    void aColumnOfAnotherTypeOrANameATableMayNotHaveIsRefused() {
        assertThatThrownBy(() -> ColumnChanges.withColumns(SPEC, adding(column("s", "i64"))))
                .isInstanceOf(PlacementException.class).hasMessageContaining("has column s of type symbol, not i64");
        assertThatThrownBy(() -> ColumnChanges.withColumns(SPEC, adding(column("__seq", "i64"))))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("reserved");
        assertThatThrownBy(() -> ColumnChanges.withColumns(SPEC, adding(column("d", "timespan"))))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("unknown type 'timespan'");
    }
}
