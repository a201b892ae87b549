package io.rayforce.cluster.deploy;

import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Vector;
import java.util.ArrayList;
import java.util.List;

/** Renders results for a terminal: tables as aligned columns, other values as Rayfall text. */
final class Tables {
    private static final int MAX_ROWS = 20;

    private Tables() {
    }

    static String render(RayValue v) {
        return render(v, MAX_ROWS);
    }

    /** At most {@code maxRows} rows of a table, then a row count. */
    static String render(RayValue v, int maxRows) {
        if (!(v instanceof RayTable t)) {
            return v.toString();
        }
        int rows = Math.min(t.rowCount(), maxRows);
        List<String[]> cells = new ArrayList<>();
        cells.add(t.columnNames().toArray(new String[0]));
        for (int r = 0; r < rows; r++) {
            String[] row = new String[t.columnCount()];
            for (int c = 0; c < row.length; c++) {
                Vector col = t.column(c);
                String s = col.at(r).toString();
                row[c] = s.startsWith("'") ? s.substring(1) : s;
            }
            cells.add(row);
        }
        int[] width = new int[t.columnCount()];
        for (String[] row : cells) {
            for (int c = 0; c < row.length; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < cells.size(); r++) {
            for (int c = 0; c < width.length; c++) {
                sb.append(String.format("%-" + (width[c] + 2) + "s", cells.get(r)[c]));
            }
            sb.append('\n');
            if (r == 0) {
                for (int w : width) {
                    sb.append("-".repeat(w)).append("  ");
                }
                sb.append('\n');
            }
        }
        if (t.rowCount() > rows) {
            sb.append("... ").append(t.rowCount()).append(" rows\n");
        }
        return sb.toString().stripTrailing();
    }
}
