package io.rayforce.cluster.router.load;

import io.rayforce.cluster.client.value.RayTable;
import java.util.List;
import java.util.Optional;

/**
 * Where a {@link FileLoader} puts rows: the cluster itself (in a router) or the cluster behind
 * a gateway (the {@code .cluster.loadBegin}/{@code loadRows}/{@code loadCommit} functions).
 */
public interface LoadTarget {
    /** The table's columns in table order, or empty when there is no such table. */
    Optional<List<FileColumn>> columns(String table);

    /** Creates the table with the columns of {@code shape} (an empty table) laid out as {@code layout}. */
    void create(String table, RayTable shape, TableLayout layout);

    /** Drops a table this load created, after the load failed. */
    void drop(String table);

    /** Starts the load: one write, seen whole or not at all. */
    Load begin(String table);

    /** One load in progress. */
    interface Load {
        /** Appends rows with exactly the table's columns and types. */
        void append(RayTable rows);

        /** Makes every appended row visible at once; answers the rows loaded. */
        long commit();

        /** Undoes every appended row (best effort: what cannot be undone now is undone by the next write of the table). */
        void abort(String why);
    }
}
