package io.rayforce.cluster.node.journal;

/**
 * What the journal's upkeep does with one entry.
 *
 * @param kind     {@link Kind#KEEP} a write, replayed; {@link Kind#DROP} a request that changes
 *                 nothing, never replayed; {@link Kind#QUARANTINE} a request the data-path rule refuses,
 *                 moved to the quarantine file and never replayed
 * @param function for a quarantined entry, the refused function (or what was wrong with the entry)
 * @param reason   why, in words, for the log
 * @param text     a short abbreviated text of the request, for the log
 */
public record EntryVerdict(Kind kind, String function, String reason, String text) {
    public enum Kind { KEEP, DROP, QUARANTINE }

    public static final EntryVerdict KEEP = new EntryVerdict(Kind.KEEP, "", "", "");
    public static final EntryVerdict DROP = new EntryVerdict(Kind.DROP, "", "", "");

    public static EntryVerdict quarantine(String function, String reason, String text) {
        return new EntryVerdict(Kind.QUARANTINE, function, reason, text);
    }
}
