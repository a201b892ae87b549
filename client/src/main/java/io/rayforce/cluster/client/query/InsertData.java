package io.rayforce.cluster.client.query;

import io.rayforce.cluster.client.rayfall.RayfallPrinter;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.Vector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The rows an insert or upsert writes: positional values, named columns, or a table. */
public sealed interface InsertData permits InsertData.Values, InsertData.Entries, InsertData.Other {

    /** The tree sent as the data argument. */
    RayValue ipc();

    /**
     * {@code (list v1 v2 ...)}: positional, in the table's column order. Atoms make one row;
     * vectors (one per column, all of one length) make several.
     */
    record Values(List<Expr> items) implements InsertData {
        public Values {
            items = List.copyOf(items);
            int len = -1;
            for (Expr e : items) {
                if (e instanceof Literal l && l.value() instanceof Vector v && !(v instanceof RayList)) {
                    if (len >= 0 && v.length() != len) {
                        throw new IllegalArgumentException("insert columns have different lengths (" + len + " and "
                                + v.length() + "); the engine would leave the table ragged");
                    }
                    len = v.length();
                }
            }
        }

        /** True when every item is a vector: several rows given column by column. */
        public boolean isColumnar() {
            return !items.isEmpty() && items.stream().allMatch(e -> e instanceof Literal l && l.value() instanceof Vector);
        }

        @Override
        public RayValue ipc() {
            List<RayValue> l = new ArrayList<>();
            l.add(Name.of("list"));
            for (Expr e : items) {
                l.add(e.ipc());
            }
            return RayList.of(l);
        }
    }

    /** {@code {col: value ...}}: columns matched by name; values are literals (atoms or vectors). */
    record Entries(List<String> columns, List<Literal> values) implements InsertData {
        public Entries {
            columns = List.copyOf(columns);
            values = List.copyOf(values);
            if (columns.size() != values.size() || columns.isEmpty()) {
                throw new IllegalArgumentException("insert needs one value per column and at least one column");
            }
            for (String c : columns) {
                if (!RayfallPrinter.isWord(c)) {
                    throw new IllegalArgumentException("'" + c + "' is not a column name");
                }
            }
        }

        @Override
        public RayValue ipc() {
            List<RayValue> v = new ArrayList<>();
            for (Literal l : values) {
                v.add(l.value());
            }
            return new RayDict(SymbolVector.of(columns), RayList.of(v));
        }
    }

    /** Any other expression giving the rows: a table value, another table by name, a query. */
    record Other(RayValue tree) implements InsertData {
        public Other {
            Objects.requireNonNull(tree, "tree");
        }

        @Override
        public RayValue ipc() {
            return tree;
        }
    }

    static Values row(Object... values) {
        List<Expr> items = new ArrayList<>();
        for (Object v : values) {
            items.add(Literals.data(v));
        }
        return new Values(items);
    }

    static Values columns(List<? extends List<?>> columns) {
        List<Expr> items = new ArrayList<>();
        for (List<?> c : columns) {
            items.add(new Literal(Literals.vector(c, true)));
        }
        return new Values(items);
    }

    static Values rows(List<? extends List<?>> rows) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no rows to insert");
        }
        int width = rows.get(0).size();
        List<List<Object>> cols = new ArrayList<>();
        for (int c = 0; c < width; c++) {
            cols.add(new ArrayList<>());
        }
        for (List<?> r : rows) {
            if (r.size() != width) {
                throw new IllegalArgumentException("rows have different widths (" + width + " and " + r.size() + ")");
            }
            for (int c = 0; c < width; c++) {
                cols.get(c).add(r.get(c));
            }
        }
        return columns(cols);
    }

    static Entries dict(Map<String, ?> columns) {
        List<String> names = new ArrayList<>();
        List<Literal> values = new ArrayList<>();
        for (Map.Entry<String, ?> e : columns.entrySet()) {
            names.add(e.getKey());
            values.add(new Literal(Literals.value(e.getValue(), true)));
        }
        return new Entries(names, values);
    }
}
