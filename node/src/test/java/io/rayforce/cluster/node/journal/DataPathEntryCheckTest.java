package io.rayforce.cluster.node.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.coordinator.meta.ClusterNaming;
import org.junit.jupiter.api.Test;

/**
 * The journal's verdict on each kind of entry a router or agent writes: reads and a query's
 * temporaries are dropped (they must not come back at a restart), writes of shard globals kept,
 * anything else quarantined.
 */
class DataPathEntryCheckTest {
    private static final String TMP = ClusterNaming.temporaryGlobal("0123456789abcdef", "l0");
    private final DataPathEntryCheck check = new DataPathEntryCheck();

    private EntryVerdict.Kind verdict(String text) {
        return check.check(new JournalEntry(0, 16, JournalTesting.frame(text, 0))).kind();
    }

    @Test
    void aWriteOfATemporaryIsDroppedAndAShardWriteKept() {
        assertThat(verdict("(count (set '" + TMP + " (table [k] (list [1 2]))))")).isEqualTo(EntryVerdict.Kind.DROP);
        assertThat(verdict("(count (insert '" + TMP + " (table [k] (list [3]))))")).isEqualTo(EntryVerdict.Kind.DROP);
        assertThat(verdict("(del '" + TMP + ")")).isEqualTo(EntryVerdict.Kind.DROP);
        assertThat(verdict("(count (insert 't__0 (table [k] (list [3]))))")).isEqualTo(EntryVerdict.Kind.KEEP);
        // a request that writes a shard global too must be replayed whole
        assertThat(verdict("(do (set '" + TMP + " t__0) (set 't__1 t__0))")).isEqualTo(EntryVerdict.Kind.KEEP);
        assertThat(verdict("(select {from: " + TMP + "})")).isEqualTo(EntryVerdict.Kind.DROP);
    }

    @Test
    void aNameThatOnlyLooksLikeATemporaryIsNotOne() {
        assertThat(verdict("(set 'tmp__x0123__l0 (table [k] (list [1])))")).isEqualTo(EntryVerdict.Kind.QUARANTINE);
        assertThat(verdict("(set 'tmp (table [k] (list [1])))")).isEqualTo(EntryVerdict.Kind.QUARANTINE);
    }
}
