package io.rayforce.cluster.router.plan;

/** A merge sort key: a column of the shards' results and its direction. */
public record SortKey(String column, boolean descending) {
    @Override
    public String toString() {
        return (descending ? "desc " : "asc ") + column;
    }
}
