package io.rayforce.cluster.router.planner;

import io.rayforce.cluster.router.plan.Broadcast;

/**
 * How a join whose sides are not co-located runs, chosen from the sides' sizes: the bytes each
 * way moves over the network, as estimated from row counts and column widths (upper bounds when
 * a side is filtered).
 * <ul>
 *   <li>{@link #BROADCAST}: the right side fetched whole and shipped with every left shard's
 *   request: {@code R * (1 + left shards)}; only for a right side within the broadcast limit and
 *   a quarter of the query's memory budget (the router holds it whole), and never for a full join;</li>
 *   <li>{@link #SHUFFLE_RIGHT}: the right side repartitioned to the left table's own shards (the
 *   left side is sharded on a join key): {@code 2 R};</li>
 *   <li>{@link #SHUFFLE_LEFT}: the left side repartitioned to the right table's shards: {@code 2 L};</li>
 *   <li>{@link #SHUFFLE_BOTH}: both sides repartitioned by a join key across the nodes: {@code 2 (L + R)}.</li>
 * </ul>
 * The cheapest that applies wins (ties in that order). A right side of at most {@link #SMALL_BYTES}
 * is broadcast whenever it may be (one request fewer per shard, no temporaries). With no sizes
 * known a join is broadcast as before (a full join, which cannot be, is shuffled).
 */
enum JoinStrategy {
    BROADCAST, SHUFFLE_RIGHT, SHUFFLE_LEFT, SHUFFLE_BOTH;

    /** A right side this small is broadcast whenever it may be. */
    static final long SMALL_BYTES = 1L << 20;

    /** What a join's planner can do, and the sides' sizes in bytes (-1: unknown). */
    record Options(boolean full, int leftShards, long leftBytes, long rightBytes, long memoryBudget, boolean shuffleRight,
                   boolean shuffleLeft, boolean shuffleBoth) {
    }

    /** The strategy for {@code o}, or null when none applies (a full join that cannot be shuffled). */
    static JoinStrategy choose(Options o) {
        boolean sized = o.leftBytes() >= 0 && o.rightBytes() >= 0;
        if (!sized) {
            return !o.full() ? BROADCAST : o.shuffleRight() ? SHUFFLE_RIGHT : o.shuffleLeft() ? SHUFFLE_LEFT
                    : o.shuffleBoth() ? SHUFFLE_BOTH : null;
        }
        boolean broadcast = !o.full() && o.rightBytes() <= Math.min(Broadcast.LIMIT_BYTES, o.memoryBudget() / 4);
        if (broadcast && o.rightBytes() <= SMALL_BYTES) {
            return BROADCAST;
        }
        JoinStrategy best = null;
        double bestCost = Double.MAX_VALUE;
        for (JoinStrategy s : values()) {
            double c = s.cost(o);
            boolean allowed = switch (s) {
                case BROADCAST -> broadcast;
                case SHUFFLE_RIGHT -> o.shuffleRight();
                case SHUFFLE_LEFT -> o.shuffleLeft();
                case SHUFFLE_BOTH -> o.shuffleBoth();
            };
            if (allowed && c < bestCost) {
                best = s;
                bestCost = c;
            }
        }
        if (best == null && !o.full()) {
            return BROADCAST; // refused at run time past the limit, saying how to make the join co-located
        }
        return best;
    }

    /** The bytes this strategy moves over the network for {@code o}. */
    double cost(Options o) {
        double l = o.leftBytes();
        double r = o.rightBytes();
        return switch (this) {
            case BROADCAST -> r * (1 + o.leftShards());
            case SHUFFLE_RIGHT -> 2 * r;
            case SHUFFLE_LEFT -> 2 * l;
            case SHUFFLE_BOTH -> 2 * (l + r);
        };
    }
}
