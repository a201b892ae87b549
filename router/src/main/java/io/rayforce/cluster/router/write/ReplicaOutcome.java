package io.rayforce.cluster.router.write;

import io.rayforce.cluster.client.value.RayValue;

/** What one replica did with a write: its answer, or why it failed. */
record ReplicaOutcome(String nodeId, RayValue answer, String failure) {

    static ReplicaOutcome applied(String nodeId, RayValue answer) {
        return new ReplicaOutcome(nodeId, answer, null);
    }

    static ReplicaOutcome failed(String nodeId, String why) {
        return new ReplicaOutcome(nodeId, null, why);
    }

    boolean ok() {
        return failure == null;
    }

    @Override
    public String toString() {
        return ok() ? nodeId + ": applied" : nodeId + ": " + failure;
    }
}
