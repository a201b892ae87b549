package io.rayforce.cluster.node.journal;

/**
 * What one pass of the journal's upkeep did.
 *
 * @param archives     archived journals folded into segments (and deleted)
 * @param read         entries read
 * @param kept         writes kept for replay
 * @param dropped      entries dropped: sent restricted, or changing nothing
 * @param quarantined  entries moved to the quarantine
 * @param torn         journals that ended in bytes that are not a valid frame (cut off, kept aside)
 * @param bytesRead    journal bytes read
 * @param bytesWritten bytes written (segments, the rewritten journal)
 * @param millis       how long it took
 * @param rewritten    whether the live journal was rewritten (before an engine start)
 */
public record CompactionReport(long archives, long read, long kept, long dropped, long quarantined, long torn, long bytesRead,
                               long bytesWritten, long millis, boolean rewritten) {
    @Override
    public String toString() {
        return read + " entries read (" + bytesRead + " bytes) in " + millis + " ms: " + kept + " kept, " + dropped
                + " dropped, " + quarantined + " quarantined" + (torn > 0 ? ", " + torn + " torn end(s) cut off" : "")
                + (archives > 0 ? ", " + archives + " archive(s) folded" : "") + "; " + bytesWritten + " bytes written";
    }
}
