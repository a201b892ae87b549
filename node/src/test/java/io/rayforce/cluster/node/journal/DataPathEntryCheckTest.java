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
        assertThat(verdict("(do (+ 1 2) (count t__0))")).as("statements that write nothing").isEqualTo(EntryVerdict.Kind.DROP);
        // a write lease's one-step group: fenced on the record, then the shard's rows and the record
        assertThat(verdict("(if (and (== (at t__0__a 0) 5) (== (at t__0__a 1) 9)) (do (insert 't__0 (list 1 'a)) "
                + "(set 't__0__a [5 9 3 3]) 1) -1)")).isEqualTo(EntryVerdict.Kind.KEEP);
        assertThat(verdict("(do (set '" + TMP + " 1) (exit 0))")).isEqualTo(EntryVerdict.Kind.QUARANTINE);
    }

    /** With a rule that owns shard globals only, a temporary beside a shard write is refused (as checkRequest refuses it). */
    @Test
    void aTemporaryBesideAWriteIsJudgedByTheNodesOwnRule() {
        DataPathEntryCheck shardsOnly = new DataPathEntryCheck(g -> ClusterNaming.parseShardGlobal(g) != null);
        assertThat(shardsOnly.check(new JournalEntry(0, 16, JournalTesting.frame("(del '" + TMP + ")", 0))).kind())
                .isEqualTo(EntryVerdict.Kind.DROP);
        assertThat(shardsOnly.check(new JournalEntry(0, 16, JournalTesting.frame("(do (set '" + TMP + " t__0) (set 't__1 t__0))", 0)))
                .kind()).isEqualTo(EntryVerdict.Kind.QUARANTINE);
        assertThat(shardsOnly.check(new JournalEntry(0, 16, JournalTesting.frame("(set 't__1 t__0)", 0))).kind())
                .isEqualTo(EntryVerdict.Kind.KEEP);
    }

    @Test
    void aNameThatOnlyLooksLikeATemporaryIsNotOne() {
        assertThat(verdict("(set 'tmp__x0123__l0 (table [k] (list [1])))")).isEqualTo(EntryVerdict.Kind.QUARANTINE);
        assertThat(verdict("(set 'tmp (table [k] (list [1])))")).isEqualTo(EntryVerdict.Kind.QUARANTINE);
    }
}
