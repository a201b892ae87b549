package io.rayforce.cluster.router.exec;

import io.rayforce.cluster.coordinator.meta.ClusterNaming;

/**
 * One unit of distributed work: a shard of a table at a placement epoch. The merger accepts
 * exactly one result per unit, so a retried or hedged unit never counts twice.
 */
public record UnitId(String table, int shard, long epoch) {
    /** The engine global holding this unit's shard. */
    public String global() {
        return ClusterNaming.shardGlobal(table, shard);
    }

    @Override
    public String toString() {
        return table + "/" + shard + "@" + epoch;
    }
}
