package io.rayforce.cluster.chaos.workload;

import io.rayforce.cluster.client.value.RayValue;

/**
 * One completed operation of the history.
 *
 * @param id          position in the history's invocation order
 * @param process     the client that ran it (e.g. {@code java-reader-1}, {@code python-reader}, {@code writer-3})
 * @param kind        what it was
 * @param query       the Rayfall text sent to the gateway
 * @param writer      for writes and ledger reads: the writer stream it belongs to (else -1)
 * @param position    for writes: its position in its writer's stream (0-based); else -1
 * @param rowId       for writes: the ledger row it inserts or changes; else -1
 * @param completedBefore for ledger reads: how many of the writer's writes had completed when the read was sent
 * @param invokedBefore   for ledger reads: how many of the writer's writes had been sent when the read completed
 * @param invokedAtNanos  when it was sent ({@link System#nanoTime()})
 * @param completedAtNanos when its answer (or error, or timeout) came
 * @param outcome     ok, fail or info
 * @param value       the answer when ok
 * @param error       the error when fail or info
 */
public record Operation(long id, String process, OpKind kind, String query, int writer, int position, long rowId,
                        int completedBefore, int invokedBefore, long invokedAtNanos, long completedAtNanos,
                        Outcome outcome, RayValue value, String error) {
    public double latencyMillis() {
        return (completedAtNanos - invokedAtNanos) / 1e6;
    }
}
