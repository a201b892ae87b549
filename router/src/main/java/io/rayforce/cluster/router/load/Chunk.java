package io.rayforce.cluster.router.load;

import io.rayforce.cluster.client.value.RayTable;
import java.util.List;

/**
 * Consecutive rows of a file, read as their columns' types: lines (CSV) or rows (Parquet)
 * {@code firstLine} to {@code lastLine}, less the bad rows skipped among them.
 */
public record Chunk(RayTable rows, long firstLine, long lastLine, List<BadRow> skipped) {
}
