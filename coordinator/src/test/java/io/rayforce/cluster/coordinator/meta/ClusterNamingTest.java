package io.rayforce.cluster.coordinator.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The names the cluster gives globals on the engines, and which of them it owns. */
class ClusterNamingTest {
    @Test
    void theClusterOwnsShardsStagingCopiesWriteLeaseGlobalsAndTemporaries() {
        assertThat(ClusterNaming.isClusterGlobal("trades__7")).isTrue();
        assertThat(ClusterNaming.isClusterGlobal("trades__7__w12")).isTrue();
        assertThat(ClusterNaming.isClusterGlobal("trades__7__copy")).isTrue();
        assertThat(ClusterNaming.isClusterGlobal(ClusterNaming.pendingGlobal("trades", 7))).isTrue();
        assertThat(ClusterNaming.isClusterGlobal(ClusterNaming.recordGlobal("trades", 7))).isTrue();
        assertThat(ClusterNaming.parseShardGlobal(ClusterNaming.pendingGlobal("trades", 7))).isNull();
        assertThat(ClusterNaming.isTemporaryGlobal(ClusterNaming.pendingGlobal("tmp", 7))).isFalse();
        assertThat(ClusterNaming.isClusterGlobal("trades__7__q")).isFalse();
        assertThat(ClusterNaming.isClusterGlobal(ClusterNaming.temporaryGlobal("00ff00ff00ff00ff", "r12"))).isTrue();
        assertThat(ClusterNaming.isClusterGlobal("trades")).isFalse();
        assertThat(ClusterNaming.isClusterGlobal("__q3_t")).isFalse();
    }

    @Test
    void aTemporaryIsNeverAShardGlobalAndNeedsItsFullTag() {
        String tmp = ClusterNaming.temporaryGlobal("0123456789012345", "l0");
        assertThat(tmp).isEqualTo("tmp__x0123456789012345__l0");
        assertThat(ClusterNaming.isTemporaryGlobal(tmp)).isTrue();
        assertThat(ClusterNaming.parseShardGlobal(tmp)).isNull();
        assertThat(ClusterNaming.isTemporaryGlobal("tmp__3")).isFalse();
        assertThat(ClusterNaming.isTemporaryGlobal("tmp__x0123__l0")).isFalse();
        assertThat(ClusterNaming.isTemporaryGlobal("trades__7")).isFalse();
        assertThatThrownBy(() -> ClusterNaming.temporaryGlobal("XYZ", "l0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClusterNaming.temporaryGlobal("0123456789012345", "L 0"))
                .isInstanceOf(IllegalArgumentException.class);
        // a user table can be called tmp: its shards are not temporaries
        assertThat(ClusterNaming.checkTableName("tmp")).isEqualTo("tmp");
    }
}
