package io.rayforce.cluster.router.ops;

import java.time.Instant;

/**
 * A query that took longer than the slow-query threshold, as {@code .cluster.slowlog} shows it:
 * who sent what, when, how long it took and how it ended, the rows of its answer, its wait for table locks, its shard
 * requests (attempts, and the slowest one) and its plan with what each step moved.
 */
public record SlowQuery(long id, String user, String text, Instant startedAt, long millis, String outcome, long rows,
                        long lockWaitMillis, int shardRequests, long slowestShardMillis, String plan) {
}
