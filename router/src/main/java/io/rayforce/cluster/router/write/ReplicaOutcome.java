package io.rayforce.cluster.router.write;

import io.rayforce.cluster.client.value.RayValue;

/**
 * What one replica did with a write: its answer, or why it failed. {@code uncertain} is set when
 * the replica failed after a request was sent (a lost connection, a timeout): the engine may have
 * journaled and applied it anyway.
 */
record ReplicaOutcome(String nodeId, RayValue answer, String failure, boolean uncertain) {

    static ReplicaOutcome applied(String nodeId, RayValue answer) {
        return new ReplicaOutcome(nodeId, answer, null, false);
    }

    /** Failed before anything reached the engine, or the engine refused it. */
    static ReplicaOutcome failed(String nodeId, String why) {
        return new ReplicaOutcome(nodeId, null, why, false);
    }

    /** Failed after a request was sent: it may have been applied. */
    static ReplicaOutcome lost(String nodeId, String why) {
        return new ReplicaOutcome(nodeId, null, why, true);
    }

    boolean ok() {
        return failure == null;
    }

    @Override
    public String toString() {
        return ok() ? nodeId + ": applied" : nodeId + ": " + failure;
    }
}
