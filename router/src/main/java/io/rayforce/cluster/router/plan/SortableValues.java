package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.value.BoolVector;
import io.rayforce.cluster.client.value.DateVector;
import io.rayforce.cluster.client.value.F32Vector;
import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.I16Vector;
import io.rayforce.cluster.client.value.I32Vector;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.IntBackedVector;
import io.rayforce.cluster.client.value.LongBackedVector;
import io.rayforce.cluster.client.value.TimeVector;
import io.rayforce.cluster.client.value.TimestampVector;
import io.rayforce.cluster.client.value.U8Vector;
import io.rayforce.cluster.client.value.Vector;

/**
 * Values of the engine's numeric and temporal types as longs that order as the engine compares
 * them, and back, so that a search can split a range of values evenly whatever their type.
 * Integers and temporals are their own value; a float is its bits, negated for negative floats,
 * with -0.0 and 0.0 one key (the engine finds them equal). Every long between two keys of real
 * values is the key of a real value of the type. Not for nulls.
 */
final class SortableValues {
    private SortableValues() {
    }

    /** Whether values of {@code v}'s type have keys. */
    static boolean supports(Vector v) {
        return v instanceof LongBackedVector || v instanceof IntBackedVector || v instanceof F64Vector || v instanceof F32Vector
                || v instanceof I16Vector || v instanceof U8Vector || v instanceof BoolVector;
    }

    /** The key of element {@code i} of {@code v} (not null). */
    static long key(Vector v, int i) {
        if (v instanceof LongBackedVector x) {
            return x.get(i);
        } else if (v instanceof IntBackedVector x) {
            return x.get(i);
        } else if (v instanceof F64Vector x) {
            double d = x.get(i);
            if (d == 0) {
                return 0;
            }
            return d > 0 ? Double.doubleToRawLongBits(d) : -Double.doubleToRawLongBits(-d);
        } else if (v instanceof F32Vector x) {
            float f = x.get(i);
            if (f == 0) {
                return 0;
            }
            return f > 0 ? Float.floatToRawIntBits(f) : -Float.floatToRawIntBits(-f);
        } else if (v instanceof I16Vector x) {
            return x.get(i);
        } else if (v instanceof U8Vector x) {
            return x.unsigned(i);
        } else if (v instanceof BoolVector x) {
            return x.get(i) ? 1 : 0;
        }
        throw new IllegalArgumentException("no sortable keys for a " + v.type().rayfallName() + " column");
    }

    /** The value of key {@code k} as f64, as the engine converts the type to compute a median or quantile. */
    static double number(Vector like, long k) {
        if (like instanceof F64Vector) {
            return k == 0 ? 0.0 : k > 0 ? Double.longBitsToDouble(k) : -Double.longBitsToDouble(-k);
        } else if (like instanceof F32Vector) {
            return k == 0 ? 0.0f : k > 0 ? Float.intBitsToFloat((int) k) : -Float.intBitsToFloat((int) -k);
        }
        return k;
    }

    /** A vector of {@code like}'s type holding the values of {@code keys}. */
    static Vector vector(Vector like, long[] keys) {
        int n = keys.length;
        if (like instanceof I64Vector) {
            return new I64Vector(keys.clone());
        } else if (like instanceof TimestampVector) {
            return new TimestampVector(keys.clone());
        } else if (like instanceof F64Vector) {
            double[] d = new double[n];
            for (int i = 0; i < n; i++) {
                d[i] = number(like, keys[i]);
            }
            return new F64Vector(d);
        } else if (like instanceof F32Vector) {
            float[] f = new float[n];
            for (int i = 0; i < n; i++) {
                f[i] = (float) number(like, keys[i]);
            }
            return new F32Vector(f);
        } else if (like instanceof I32Vector || like instanceof DateVector || like instanceof TimeVector) {
            int[] x = new int[n];
            for (int i = 0; i < n; i++) {
                x[i] = (int) keys[i];
            }
            return like instanceof I32Vector ? new I32Vector(x) : like instanceof DateVector ? new DateVector(x) : new TimeVector(x);
        } else if (like instanceof I16Vector) {
            short[] x = new short[n];
            for (int i = 0; i < n; i++) {
                x[i] = (short) keys[i];
            }
            return new I16Vector(x);
        } else if (like instanceof U8Vector) {
            byte[] x = new byte[n];
            for (int i = 0; i < n; i++) {
                x[i] = (byte) keys[i];
            }
            return new U8Vector(x);
        } else if (like instanceof BoolVector) {
            boolean[] x = new boolean[n];
            for (int i = 0; i < n; i++) {
                x[i] = keys[i] != 0;
            }
            return new BoolVector(x);
        }
        throw new IllegalArgumentException("no sortable keys for a " + like.type().rayfallName() + " column");
    }
}
