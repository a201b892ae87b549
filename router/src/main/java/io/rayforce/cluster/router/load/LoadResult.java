package io.rayforce.cluster.router.load;

import java.util.List;

/**
 * A finished load: the table, rows loaded, whether the load created the table, bytes read,
 * seconds taken, and the bad rows skipped (their count, and the first {@link FileLoader#MAX_LISTED} of them).
 */
public record LoadResult(String table, long rows, boolean created, long bytes, double seconds, long skippedCount,
        List<BadRow> skipped) {
    public double rowsPerSecond() {
        return seconds <= 0 ? 0 : rows / seconds;
    }
}
