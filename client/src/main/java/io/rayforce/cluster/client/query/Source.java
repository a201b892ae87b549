package io.rayforce.cluster.client.query;

import io.rayforce.cluster.client.value.Encodable;
import java.util.Arrays;
import java.util.List;

/**
 * Something that evaluates to a table on the server: a {@link Table} by name, a select, a join,
 * or any other expression ({@link InlineSource}). Selects and joins can start from any source.
 */
public sealed interface Source extends Encodable permits Table, SelectQuery, Join, WindowJoin, InlineSource {

    /** {@code (select {cols... from: this})}; {@code "*"} or no names selects every column. */
    default SelectQuery select(String... columns) {
        return SelectQuery.from(this).select(columns);
    }

    /** {@code (select {name: expr ... from: this})}. */
    default SelectQuery select(Projection... projections) {
        return SelectQuery.from(this).select(projections);
    }

    /** {@code (select {from: this where: predicate})}. */
    default SelectQuery where(Expr predicate) {
        return SelectQuery.from(this).where(predicate);
    }

    /** {@code (left-join [keys] this right)}: every row of this, with right's matching rows (nulls when none). */
    default Join leftJoin(Source right, String... keys) {
        return new Join(JoinKind.LEFT, List.of(keys), this, right);
    }

    /** {@code (inner-join [keys] this right)}: rows with a match on both sides. */
    default Join innerJoin(Source right, String... keys) {
        return new Join(JoinKind.INNER, List.of(keys), this, right);
    }

    /** {@code (full-join [keys] this right)}. */
    default Join fullJoin(Source right, String... keys) {
        return new Join(JoinKind.FULL, List.of(keys), this, right);
    }

    /** {@code (anti-join [keys] this right)}: rows of this with no match. */
    default Join antiJoin(Source right, String... keys) {
        return new Join(JoinKind.ANTI, List.of(keys), this, right);
    }

    /**
     * {@code (asof-join [keys... time] this right)}: the last key is the time column; each row
     * takes right's last row with an equal key and a time at or before its own.
     */
    default Join asofJoin(Source right, String... keysThenTime) {
        return new Join(JoinKind.ASOF, Arrays.asList(keysThenTime), this, right);
    }

    /**
     * A window join of this (the left table) and {@code right}: for each left row, the
     * aggregations over right's rows with an equal key whose time lies in
     * {@code [time + lo, time + hi]} (both inclusive), plus the row in force at the window start.
     */
    default WindowJoin windowJoin(Source right, List<String> keysThenTime, long lo, long hi, Named... aggregations) {
        return WindowJoin.of(keysThenTime, this, right, lo, hi, List.of(aggregations));
    }
}
