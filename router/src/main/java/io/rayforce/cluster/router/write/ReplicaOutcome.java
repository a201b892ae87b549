package io.rayforce.cluster.router.write;

import io.rayforce.cluster.client.value.RayValue;

/**
 * What one replica did with a write: its answer, or why it failed. {@code uncertain} is set when
 * the replica failed after a request was sent (a lost connection, a timeout): the engine may have
 * journaled and applied it anyway.
 */
record ReplicaOutcome(String nodeId, RayValue answer, String failure, boolean uncertain, boolean stopped) {

    static ReplicaOutcome applied(String nodeId, RayValue answer) {
        return new ReplicaOutcome(nodeId, answer, null, false, false);
    }

    /** Failed before anything reached the engine, or the engine refused it. */
    static ReplicaOutcome failed(String nodeId, String why) {
        return new ReplicaOutcome(nodeId, null, why, false, false);
    }

    /** Failed after a request was sent: it may have been applied. */
    static ReplicaOutcome lost(String nodeId, String why) {
        return new ReplicaOutcome(nodeId, null, why, true, false);
    }

    /**
     * The write fence stopped the next request ({@code WriteFence}: the session holding the
     * table's write lock ended, or could not be proven alive); {@code uncertain} when requests of
     * it were sent before. Not the replica's fault: it is not to be reported STALE for it.
     */
    static ReplicaOutcome stopped(String nodeId, String why, boolean uncertain) {
        return new ReplicaOutcome(nodeId, null, why, uncertain, true);
    }

    boolean ok() {
        return failure == null;
    }

    @Override
    public String toString() {
        return ok() ? nodeId + ": applied" : nodeId + ": " + failure;
    }
}
