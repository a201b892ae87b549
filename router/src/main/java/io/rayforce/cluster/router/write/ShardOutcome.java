package io.rayforce.cluster.router.write;

import java.util.List;

/**
 * What the replicas of one shard did with a write. {@code unwritable} lists replicas that
 * were not written at all (DOWN, STALE or DROPPING) for messages.
 */
record ShardOutcome(String table, int shard, List<ReplicaOutcome> replicas, String unwritable) {

    ShardOutcome {
        replicas = List.copyOf(replicas);
    }

    List<ReplicaOutcome> applied() {
        return replicas.stream().filter(ReplicaOutcome::ok).toList();
    }

    List<ReplicaOutcome> failed() {
        return replicas.stream().filter(r -> !r.ok()).toList();
    }

    boolean anyApplied() {
        return replicas.stream().anyMatch(ReplicaOutcome::ok);
    }

    String name() {
        return "shard " + shard + " of " + table;
    }
}
