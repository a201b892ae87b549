package io.rayforce.cluster.router.planner;

import io.rayforce.cluster.router.plan.Plan;

/** Where a value of a query lives while the query is planned: at the router, or still on the shards. */
sealed interface Placed {
    /** A value at the router: the plan that computes it. */
    record Local(Plan plan) implements Placed {
    }

    /** A value still on the shards of one table, not yet merged. */
    record Sharded(ShardedRows rows) implements Placed {
    }
}
