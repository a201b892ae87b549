package io.rayforce.cluster.client.query;

/**
 * A select's {@code take:}: the first {@code count} rows (the last ones when negative), or,
 * with a {@code start}, {@code count} rows from there ({@code take: [start count]}).
 */
public record Take(Long start, long count) {
    public static Take first(long count) {
        return new Take(null, count);
    }

    public static Take range(long start, long count) {
        return new Take(start, count);
    }
}
