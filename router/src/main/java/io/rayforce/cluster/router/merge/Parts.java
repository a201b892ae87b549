package io.rayforce.cluster.router.merge;

import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.Vector;
import java.util.ArrayList;
import java.util.List;

/**
 * Several tables with the same columns (one per shard), viewed as one: part {@code p}'s row
 * {@code r} is row {@code offset(p) + r} of {@link #all()}. Merges compute an order over these
 * global row numbers and gather once.
 */
public final class Parts {
    private final RayTable all;
    private final int[] offsets;

    public Parts(List<RayTable> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("no parts to merge");
        }
        offsets = new int[parts.size() + 1];
        RayTable first = parts.get(0);
        for (int p = 0; p < parts.size(); p++) {
            RayTable t = parts.get(p);
            if (!t.names().equals(first.names())) {
                throw new IllegalStateException("shard results disagree on columns: " + first.columnNames() + " vs "
                        + t.columnNames());
            }
            offsets[p + 1] = offsets[p] + t.rowCount();
        }
        if (parts.size() == 1) {
            all = first;
        } else {
            List<Vector> cols = new ArrayList<>(first.columnCount());
            for (int c = 0; c < first.columnCount(); c++) {
                List<Vector> pieces = new ArrayList<>(parts.size());
                for (RayTable t : parts) {
                    pieces.add(t.column(c));
                }
                cols.add(Vector.concat(pieces));
            }
            all = new RayTable(first.names(), cols);
        }
    }

    public RayTable all() {
        return all;
    }

    public int count() {
        return offsets.length - 1;
    }

    public int offset(int part) {
        return offsets[part];
    }

    public int rows(int part) {
        return offsets[part + 1] - offsets[part];
    }

    public int totalRows() {
        return offsets[offsets.length - 1];
    }
}
