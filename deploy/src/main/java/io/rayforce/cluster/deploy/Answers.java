package io.rayforce.cluster.deploy;

import io.rayforce.cluster.client.value.F64Atom;
import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;

/**
 * Whether two answers are the same: equal values, types, column names and row order, with f64
 * values allowed to differ in the last bits (the engine's own float aggregates do between worker
 * counts), up to a relative 1e-9.
 */
final class Answers {
    private static final double RELATIVE = 1e-9;

    private Answers() {
    }

    static boolean same(RayValue a, RayValue b) {
        if (a instanceof RayTable x && b instanceof RayTable y) {
            if (!x.columnNames().equals(y.columnNames()) || x.rowCount() != y.rowCount()) {
                return false;
            }
            for (int i = 0; i < x.columnCount(); i++) {
                if (!same(x.column(i), y.column(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof F64Vector x && b instanceof F64Vector y) {
            if (x.length() != y.length()) {
                return false;
            }
            for (int i = 0; i < x.length(); i++) {
                if (!close(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof F64Atom x && b instanceof F64Atom y) {
            return close(x.value(), y.value());
        }
        if (a instanceof RayList x && b instanceof RayList y && x.length() == y.length()) {
            for (int i = 0; i < x.length(); i++) {
                if (!same(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    private static boolean close(double x, double y) {
        if (Double.isNaN(x) || Double.isNaN(y)) {
            return Double.isNaN(x) == Double.isNaN(y);
        }
        return Math.abs(x - y) <= Math.max(Math.abs(x), Math.abs(y)) * RELATIVE;
    }
}
