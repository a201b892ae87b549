package io.rayforce.cluster.node.journal;

/**
 * Judges one journal entry that was not sent restricted (those are always dropped): keep it (a
 * write to replay), drop it (it changes nothing) or quarantine it. The node's check is
 * {@link DataPathEntryCheck}; a test may put in a more permissive one to produce an entry the
 * real check never lets through.
 */
@FunctionalInterface
public interface EntryCheck {
    EntryVerdict check(JournalEntry entry);
}
