package io.rayforce.cluster.router.plan.aggregate;

import io.rayforce.cluster.client.query.Expr;
import io.rayforce.cluster.client.query.Named;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Vector;
import java.util.List;

/**
 * How one kind of aggregate is split over shards and merged exactly: the partial states each
 * shard computes (per group, or over all its rows), how the partials of a group combine into the
 * one value one server would give, and the column over no rows at all.
 */
public interface AggregateRule {
    /** The rule's name in plans: {@code SUM}, {@code AVG}, ... */
    String name();

    /**
     * The projections a shard's select computes for {@code a}: named {@code a.output()} or
     * {@link io.rayforce.cluster.router.plan.Hidden#part hidden parts}. {@code grouped}: the
     * select has a {@code by:}.
     */
    List<Named> partials(Aggregate a, boolean grouped);

    /**
     * The grouped partials when {@link #nullFreeArgument} holds no null on the shard, where those
     * are cheaper to compute than {@link #partials} and combine the same way
     * ({@link Partials#withoutNulls}: non-null counts, first/last non-null sequences, weights of
     * the rows with a value); null when there is no such form.
     */
    default List<Named> partialsWithoutNulls(Aggregate a) {
        return Partials.withoutNulls(partials(a, true), nullFreeArgument(a));
    }

    /** The argument that must hold no null for {@link #partialsWithoutNulls}. */
    default Expr nullFreeArgument(Aggregate a) {
        return a.argument();
    }

    /**
     * For an ungrouped select, the per-row values each shard sends instead of partial states
     * (its values are then given to {@link #combine} as one list per shard), or null when the
     * rule has fixed-size partials.
     */
    default Expr gathered(Aggregate a) {
        return null;
    }

    /**
     * What each shard sends of the values it gathers ({@code values}: the request that gives
     * them), for an aggregate of a vector; by default the values themselves.
     */
    default RayValue onShard(Aggregate a, RayValue values) {
        return values;
    }

    /** One finished value per group: group {@code g} is made of the partial rows {@code groups[g]}. */
    Vector combine(Aggregate a, RayTable partials, int[][] groups);

    /** The finished column when no shard has a row; {@code partials} has the partial columns' types. */
    Vector empty(Aggregate a, RayTable partials);

    /**
     * The aggregate of a vector with no values ({@code (sum [])} is 0, {@code (min [])} null),
     * typed as {@code empty}, the finished column over no rows.
     */
    default RayValue overNothing(Aggregate a, Vector empty) {
        return Partials.nullLike(empty);
    }

    /**
     * Whether each group's value is one atom, so the aggregate may stand inside an expression
     * ({@code top} and {@code bot} give a vector per group).
     */
    default boolean oneValue() {
        return true;
    }

    /** What finishes the combined partial states: the combine, or an operator that asks the shards again. */
    default Finish finish() {
        return Finish.COMBINE;
    }

    /** Who finishes an aggregate's value. */
    enum Finish {
        /** {@link #combine} gives the value. */
        COMBINE,
        /** {@code RankSelect}: {@link #combine} gives each group's (count, min, max), the rule is {@link Ranked}. */
        RANK_SELECT,
        /** {@code ModeCombine}: the shards' counts of each value, asked after {@link #combine}. */
        MODE_COMBINE
    }
}
