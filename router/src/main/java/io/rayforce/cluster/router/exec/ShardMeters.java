package io.rayforce.cluster.router.exec;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;

/**
 * What the router's shard work did, counted in Micrometer's global registry (docs/operations.md):
 * <ul>
 *   <li>{@code rfc.shard.requests{outcome}}: every attempt to run a unit on a replica, by how it
 *       ended: {@code ok}, {@code engine_error} (the engine answered an error, which is the
 *       query's answer), {@code failed} (connect failure, lost connection, timeout: the next
 *       replica is tried);</li>
 *   <li>{@code rfc.shard.retries}: attempts made after an attempt of the same unit failed;</li>
 *   <li>{@code rfc.shard.failovers}: units answered by another replica than the first one tried;</li>
 *   <li>{@code rfc.shard.hedges}, {@code rfc.shard.hedges.won}: hedged requests sent, and those
 *       whose answer came first;</li>
 *   <li>{@code rfc.shard.missing}: units no replica answered;</li>
 *   <li>{@code rfc.shard.rows}, {@code rfc.shard.bytes}: what shard answers brought to the router.</li>
 * </ul>
 */
public final class ShardMeters {
    static final Counter OK = requests("ok");
    static final Counter ENGINE_ERROR = requests("engine_error");
    static final Counter FAILED = requests("failed");
    static final Counter RETRIES = counter("rfc.shard.retries", "attempts of a unit after an attempt of it failed");
    static final Counter FAILOVERS = counter("rfc.shard.failovers", "units answered by another replica than the first tried");
    static final Counter HEDGES = counter("rfc.shard.hedges", "units also sent to a second replica after the hedge delay");
    static final Counter HEDGES_WON = counter("rfc.shard.hedges.won", "hedged requests whose answer came first");
    static final Counter UNREACHABLE = counter("rfc.shard.unreachable",
            "attempts given up because their node stopped taking connections while they waited");
    static final Counter MISSING = counter("rfc.shard.missing", "units no replica answered");
    static final Counter ROWS = counter("rfc.shard.rows", "rows the shards' answers brought to the router");
    static final Counter BYTES = counter("rfc.shard.bytes", "bytes the shards' answers brought to the router");

    private ShardMeters() {
    }

    private static Counter requests(String outcome) {
        return Counter.builder("rfc.shard.requests").tag("outcome", outcome)
                .description("attempts to run a unit on a replica, by outcome").register(Metrics.globalRegistry);
    }

    private static Counter counter(String name, String description) {
        return Counter.builder(name).description(description).register(Metrics.globalRegistry);
    }
}
