package io.rayforce.cluster.router.merge;

import io.rayforce.cluster.client.value.BoolVector;
import io.rayforce.cluster.client.value.F32Atom;
import io.rayforce.cluster.client.value.F32Vector;
import io.rayforce.cluster.client.value.F64Atom;
import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.GuidVector;
import io.rayforce.cluster.client.value.I16Vector;
import io.rayforce.cluster.client.value.IntBackedVector;
import io.rayforce.cluster.client.value.LongBackedVector;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.StringVector;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.U8Vector;
import io.rayforce.cluster.client.value.Vector;

/**
 * Compares elements of vectors as the engine sorts them: nulls lowest, numbers by value,
 * symbols and strings by Unicode code point (the engine compares their UTF-8 bytes, which
 * orders the same way), guids by their bytes, false before true.
 */
public final class ValueOrder {
    private ValueOrder() {
    }

    /** Compares element {@code i} of {@code a} with element {@code j} of {@code b} (same type). */
    public static int compare(Vector a, int i, Vector b, int j) {
        if (a instanceof LongBackedVector x) {
            return compareLongs(x.get(i), ((LongBackedVector) b).get(j));
        }
        if (a instanceof IntBackedVector x) {
            return Integer.compare(x.get(i), ((IntBackedVector) b).get(j));
        }
        if (a instanceof F64Vector x) {
            return compareReals(x.get(i), ((F64Vector) b).get(j));
        }
        if (a instanceof SymbolVector x) {
            return compareText(x.get(i), ((SymbolVector) b).get(j));
        }
        if (a instanceof StringVector x) {
            return compareText(x.get(i), ((StringVector) b).get(j));
        }
        if (a instanceof F32Vector x) {
            return compareReals(x.get(i), ((F32Vector) b).get(j));
        }
        if (a instanceof I16Vector x) {
            return Short.compare(x.get(i), ((I16Vector) b).get(j));
        }
        if (a instanceof U8Vector x) {
            return Integer.compare(x.unsigned(i), ((U8Vector) b).unsigned(j));
        }
        if (a instanceof BoolVector x) {
            return Boolean.compare(x.get(i), ((BoolVector) b).get(j));
        }
        if (a instanceof GuidVector x) {
            GuidVector y = (GuidVector) b;
            int c = Long.compareUnsigned(x.mostSignificantBits(i), y.mostSignificantBits(j));
            return c != 0 ? c : Long.compareUnsigned(x.leastSignificantBits(i), y.leastSignificantBits(j));
        }
        throw new IllegalArgumentException("cannot order a " + a.type().rayfallName() + " column");
    }

    /** Integer order; the null sentinel (the minimum value) is already the lowest. */
    static int compareLongs(long x, long y) {
        return Long.compare(x, y);
    }

    /** Nulls (NaN) lowest, then numeric order with -0.0 equal to 0.0. */
    static int compareReals(double x, double y) {
        boolean nx = Double.isNaN(x);
        boolean ny = Double.isNaN(y);
        if (nx || ny) {
            return nx == ny ? 0 : nx ? -1 : 1;
        }
        return x < y ? -1 : x > y ? 1 : 0;
    }

    /** Code point order (UTF-16 unit order differs for characters above U+FFFF). */
    static int compareText(String x, String y) {
        int n = Math.min(x.length(), y.length());
        for (int k = 0; k < n; k++) {
            char cx = x.charAt(k);
            char cy = y.charAt(k);
            if (cx != cy) {
                if (Character.isSurrogate(cx) || Character.isSurrogate(cy)) {
                    return Integer.compare(x.codePointAt(k), y.codePointAt(k));
                }
                return Character.compare(cx, cy);
            }
        }
        return Integer.compare(x.length(), y.length());
    }

    /** Compares two elements of one vector by index. */
    @FunctionalInterface
    public interface IndexComparator {
        int compare(int i, int j);
    }

    /**
     * A comparator of {@code v}'s elements by index, specialised to its type once, for merges that
     * compare millions of rows of one (concatenated) column.
     */
    public static IndexComparator of(Vector v) {
        if (v instanceof LongBackedVector x) {
            long[] a = x.toArray();
            return (i, j) -> Long.compare(a[i], a[j]);
        }
        if (v instanceof IntBackedVector x) {
            int[] a = x.toArray();
            return (i, j) -> Integer.compare(a[i], a[j]);
        }
        if (v instanceof F64Vector x) {
            double[] a = x.toArray();
            return (i, j) -> compareReals(a[i], a[j]);
        }
        if (v instanceof SymbolVector x) {
            return (i, j) -> {
                String p = x.get(i);
                String q = x.get(j);
                return p == q ? 0 : compareText(p, q); // symbols of one payload share their strings
            };
        }
        return (i, j) -> compare(v, i, v, j);
    }

    /** True when element {@code i} of {@code a} equals element {@code j} of {@code b} (nulls equal nulls). */
    public static boolean same(Vector a, int i, Vector b, int j) {
        return compare(a, i, b, j) == 0;
    }

    private static final F64Atom F64_ZERO = new F64Atom(0.0);
    private static final F32Atom F32_ZERO = new F32Atom(0.0f);

    /**
     * Element {@code i} of {@code v} as a value that equals another element's, and hashes alike,
     * exactly when {@link #same} says they are the same: -0.0 is 0.0 (as the engine groups and
     * counts distinct values), every null of a type is one value. For hash maps and sets of values.
     */
    public static RayValue key(Vector v, int i) {
        RayValue x = v.at(i);
        if (x instanceof F64Atom f && f.value() == 0.0) {
            return F64_ZERO;
        }
        if (x instanceof F32Atom f && f.value() == 0.0f) {
            return F32_ZERO;
        }
        return x;
    }
}
