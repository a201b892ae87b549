package io.rayforce.cluster.chaos.check;

import io.rayforce.cluster.client.value.F64Atom;
import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import java.util.Objects;
import java.util.Optional;

/**
 * The differential oracle's equality (the cluster's exactness contract): values, types, column
 * names and order, and row order must be equal; f64 values may differ in the last bits, as the
 * engine's own float aggregates do between worker counts, up to a relative 1e-9.
 */
public final class SameAnswer {
    static final double RELATIVE = 1e-9;

    private SameAnswer() {
    }

    /** Empty when {@code actual} is the same answer as {@code expected}; otherwise the first difference. */
    public static Optional<String> difference(RayValue expected, RayValue actual) {
        if (expected instanceof RayTable o && actual instanceof RayTable c) {
            if (!c.columnNames().equals(o.columnNames())) {
                return Optional.of("columns " + c.columnNames() + " instead of " + o.columnNames());
            }
            if (c.rowCount() != o.rowCount()) {
                return Optional.of(c.rowCount() + " rows instead of " + o.rowCount());
            }
            for (int i = 0; i < o.columnCount(); i++) {
                Optional<String> d = column(o.column(i), c.column(i));
                if (d.isPresent()) {
                    return Optional.of("column " + o.columnNames().get(i) + ": " + d.get());
                }
            }
            return Optional.empty();
        }
        if (expected instanceof F64Atom o && actual instanceof F64Atom c) {
            return real(o.value(), c.value());
        }
        return Objects.equals(expected, actual) ? Optional.empty()
                : Optional.of(abbreviate(String.valueOf(actual)) + " instead of " + abbreviate(String.valueOf(expected)));
    }

    /** Rows in a table answer, or -1 for other answers. */
    public static long rows(RayValue v) {
        return v instanceof RayTable t ? t.rowCount() : -1;
    }

    private static Optional<String> column(RayValue o, RayValue c) {
        if (o instanceof F64Vector ov && c instanceof F64Vector cv) {
            if (cv.length() != ov.length()) {
                return Optional.of(cv.length() + " values instead of " + ov.length());
            }
            for (int i = 0; i < ov.length(); i++) {
                Optional<String> d = real(ov.get(i), cv.get(i));
                if (d.isPresent()) {
                    return Optional.of("row " + i + ": " + d.get());
                }
            }
            return Optional.empty();
        }
        if (o instanceof RayList ol && c instanceof RayList cl && ol.length() == cl.length()) {
            for (int i = 0; i < ol.length(); i++) {
                Optional<String> d = difference(ol.get(i), cl.get(i));
                if (d.isPresent()) {
                    return Optional.of("item " + i + ": " + d.get());
                }
            }
            return Optional.empty();
        }
        return Objects.equals(o, c) ? Optional.empty()
                : Optional.of(abbreviate(String.valueOf(c)) + " instead of " + abbreviate(String.valueOf(o)));
    }

    private static Optional<String> real(double o, double c) {
        if (Double.isNaN(o) || Double.isNaN(c)) {
            return Double.isNaN(o) == Double.isNaN(c) ? Optional.empty() : Optional.of(c + " instead of " + o);
        }
        double tol = Math.max(Math.abs(o), Math.abs(c)) * RELATIVE;
        return Math.abs(o - c) <= tol ? Optional.empty() : Optional.of(c + " instead of " + o);
    }

    /** The whole value, every column in full (for anomaly details). */
    public static String full(RayValue v) {
        if (v instanceof RayTable t) {
            StringBuilder s = new StringBuilder("table");
            for (int i = 0; i < t.columnCount(); i++) {
                RayValue c = t.column(i);
                s.append(' ').append(t.columnNames().get(i)).append('=')
                        .append(c instanceof io.rayforce.cluster.client.value.LongBackedVector l ? java.util.Arrays.toString(l.toArray())
                                : c instanceof F64Vector f ? f64(f) : String.valueOf(c));
            }
            return s.toString();
        }
        return String.valueOf(v);
    }

    private static String f64(F64Vector f) {
        double[] d = new double[f.length()];
        for (int i = 0; i < d.length; i++) {
            d[i] = f.get(i);
        }
        return java.util.Arrays.toString(d);
    }

    static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
