package io.rayforce.cluster.router.exec;

import io.rayforce.cluster.client.value.RayValue;

/**
 * Counts what a query has received against its {@link ResultLimits}: each admitted value adds
 * its rows and wire bytes, and the first value that takes the total over a limit fails with a
 * {@link ResultLimitError} naming the limit (kept, so the query reports it rather than the
 * cancellations that follow).
 */
public final class ResultBudget {
    private final ResultLimits limits;
    private final String what;
    private long rows;
    private long bytes;
    private ResultLimitError exceeded;

    /** @param what what is counted, for the message ("the answer", "the shard answers") */
    public ResultBudget(ResultLimits limits, String what) {
        this.limits = limits;
        this.what = what;
    }

    /** Adds {@code v}; throws (and remembers) a {@link ResultLimitError} when a limit is passed. */
    public synchronized void admit(RayValue v) {
        if (exceeded != null) {
            throw exceeded;
        }
        rows += ResultLimits.rows(v);
        if (limits.maxRows() > 0 && rows > limits.maxRows()) {
            throw exceeded = new ResultLimitError(what + " passed the limit of " + limits.maxRows() + " rows (max result rows) with "
                    + rows + " rows: select fewer rows, page with take, or store the result with (set name ...)");
        }
        if (limits.maxBytes() > 0) {
            bytes += ResultLimits.bytes(v);
            if (bytes > limits.maxBytes()) {
                throw exceeded = new ResultLimitError(what + " passed the limit of " + limits.maxBytes()
                        + " bytes (max result bytes) with " + bytes + " bytes on the wire: select fewer rows or columns, "
                        + "page with take, or store the result with (set name ...)");
            }
        }
    }

    /** The limit error this budget raised, or null. */
    public synchronized ResultLimitError exceeded() {
        return exceeded;
    }
}
