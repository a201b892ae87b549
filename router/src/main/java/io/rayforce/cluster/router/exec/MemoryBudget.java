package io.rayforce.cluster.router.exec;

import io.rayforce.cluster.client.ipc.ValueWriter;
import io.rayforce.cluster.client.value.RayValue;

/**
 * How much of what the shards send one query may hold at the router: each shard answer is
 * charged as it arrives (its size on the wire, about what it takes decoded), and the answer that
 * takes the total past the budget fails the query with error {@code limit}, naming the step it
 * came to, before the router runs out of memory. The budget is per query
 * ({@code QueryOptions.memoryBudget}, by default a quarter of the router's heap).
 */
public final class MemoryBudget {
    private final long limitBytes;
    private long used;
    private long peak;
    private ResultLimitError exceeded;

    public MemoryBudget(long limitBytes) {
        this.limitBytes = limitBytes;
    }

    /** The default budget: a quarter of the heap this router may use. */
    public static long defaultBytes() {
        return Runtime.getRuntime().maxMemory() / 4;
    }

    /** Charges {@code answer}, which came to {@code step}; throws (and remembers) a {@link ResultLimitError} past the budget. */
    public synchronized void charge(RayValue answer, String step) {
        if (exceeded != null) {
            throw exceeded;
        }
        charge(ValueWriter.sizeOf(answer), step);
    }

    /**
     * Charges {@code bytes} the router holds for {@code step} (a chunk on its way through, say);
     * throws (and remembers) a {@link ResultLimitError} past the budget. {@link #release} gives
     * them back once the step has let them go.
     */
    public synchronized void charge(long bytes, String step) {
        if (exceeded != null) {
            throw exceeded;
        }
        used += bytes;
        peak = Math.max(peak, used);
        if (used > limitBytes) {
            throw exceeded = new ResultLimitError("this query needs more than its router memory budget of " + mb(limitBytes)
                    + " MB: the shards' answers came to " + mb(used) + " MB at step " + step + "; filter or aggregate "
                    + "more on the shards, page with take, or raise the budget (--query-memory)");
        }
    }

    /** Gives back {@code bytes} charged before, which the router no longer holds. */
    public synchronized void release(long bytes) {
        used = Math.max(0, used - bytes);
    }

    public synchronized long used() {
        return used;
    }

    /** The most this budget held at once. */
    public synchronized long peak() {
        return peak;
    }

    /** The budget, in bytes. */
    public long limit() {
        return limitBytes;
    }

    public synchronized ResultLimitError exceeded() {
        return exceeded;
    }

    private static long mb(long bytes) {
        return Math.max(1, bytes >> 20);
    }
}
