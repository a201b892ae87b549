package io.rayforce.cluster.client.value;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A table: named columns of equal length, in order. */
public final class RayTable implements RayValue {
    private final SymbolVector names;
    private final List<Vector> columns;

    public RayTable(SymbolVector names, List<? extends Vector> columns) {
        Objects.requireNonNull(names, "column names");
        if (names.length() != columns.size()) {
            throw new IllegalArgumentException("table has " + names.length() + " column names but "
                    + columns.size() + " columns");
        }
        List<Vector> cols = List.copyOf(columns);
        for (int i = 1; i < cols.size(); i++) {
            if (cols.get(i).length() != cols.get(0).length()) {
                throw new IllegalArgumentException("column " + names.get(i) + " has " + cols.get(i).length()
                        + " rows but column " + names.get(0) + " has " + cols.get(0).length());
            }
        }
        this.names = names;
        this.columns = cols;
    }

    public static RayTable of(List<String> names, List<? extends Vector> columns) {
        return new RayTable(SymbolVector.of(names), columns);
    }

    /** Starts a table from named columns: {@code RayTable.builder().column("id", I64Vector.of(1)).build()}. */
    public static Builder builder() {
        return new Builder();
    }

    public SymbolVector names() {
        return names;
    }

    public List<String> columnNames() {
        return names.toList();
    }

    public List<Vector> columns() {
        return columns;
    }

    public int columnCount() {
        return columns.size();
    }

    public int rowCount() {
        return columns.isEmpty() ? 0 : columns.get(0).length();
    }

    public Vector column(int index) {
        return columns.get(index);
    }

    /** The column named {@code name}; fails with the available names when there is none. */
    public Vector column(String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no column " + name + " in table with columns " + columnNames());
        }
        return columns.get(i);
    }

    public boolean hasColumn(String name) {
        return names.indexOf(name) >= 0;
    }

    /** The rows at {@code indices}, in that order. */
    public RayTable gather(int[] indices) {
        List<Vector> out = new ArrayList<>(columns.size());
        for (Vector c : columns) {
            out.add(c.gather(indices));
        }
        return new RayTable(names, out);
    }

    /**
     * Every row, in the order {@code indices} gives (a permutation of all rows: the parts of one
     * whole put in its order); the columns keep the attribute bytes they came with
     * ({@link Vector#wholeInOrder}).
     */
    public RayTable wholeInOrder(int[] indices) {
        List<Vector> out = new ArrayList<>(columns.size());
        for (Vector c : columns) {
            out.add(c.wholeInOrder(indices));
        }
        return new RayTable(names, out);
    }

    /** Rows {@code from} (inclusive) to {@code to} (exclusive). */
    public RayTable slice(int from, int to) {
        List<Vector> out = new ArrayList<>(columns.size());
        for (Vector c : columns) {
            out.add(c.slice(from, to));
        }
        return new RayTable(names, out);
    }

    @Override
    public RayType type() {
        return RayType.TABLE;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RayTable t && t.names.equals(names) && t.columns.equals(columns);
    }

    @Override
    public int hashCode() {
        return 31 * names.hashCode() + columns.hashCode();
    }

    @Override
    public String toString() {
        return Printing.text(this);
    }

    /** Collects named columns in order. */
    public static final class Builder {
        private final List<String> names = new ArrayList<>();
        private final List<Vector> columns = new ArrayList<>();

        public Builder column(String name, Vector values) {
            names.add(name);
            columns.add(values);
            return this;
        }

        public RayTable build() {
            return RayTable.of(names, columns);
        }
    }
}
