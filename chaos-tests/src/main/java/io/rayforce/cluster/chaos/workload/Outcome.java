package io.rayforce.cluster.chaos.workload;

/**
 * What became of one operation, as in a Jepsen history: {@code OK} (the cluster answered),
 * {@code FAIL} (it certainly did not happen: a read that errored, or a write that could not even
 * be sent), {@code INFO} (unknown: a write whose answer was an error or never came; it may or may
 * not have been applied, and the checker resolves it from the final state).
 */
public enum Outcome {
    OK, FAIL, INFO
}
