package io.rayforce.cluster.client.value;

import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Objects;

/**
 * A column of values of one type, backed by one primitive (or object) array without per-element
 * boxing. Vectors are immutable: a constructor takes ownership of the array it is given, and no
 * method hands the array back out.
 */
public abstract sealed class Vector implements RayValue
        permits BoolVector, U8Vector, I16Vector, IntBackedVector, LongBackedVector, F32Vector, F64Vector,
                GuidVector, SymbolVector, StringVector, RayList {

    /** The attribute byte this vector came with from the wire; 0 for a vector built here. */
    private byte wireAttrs;

    /**
     * The attribute byte the engine sent with this vector (0 for one built here). The engine's
     * has-nulls bit ({@code 40}) is sticky: a column that held a null keeps it after the null is
     * updated away, so an answer passed on keeps the bits it came with.
     */
    public byte wireAttrs() {
        return wireAttrs;
    }

    /** This vector's elements with attribute byte {@code attrs} (a new vector sharing the elements). */
    public Vector withAttrs(byte attrs) {
        return withArray(array()).withWireAttrs(attrs);
    }

    /**
     * For decoders: records the attribute byte read with this vector. Call it only while the
     * vector is being built, before it is shared. Returns this vector.
     */
    public Vector withWireAttrs(byte attrs) {
        this.wireAttrs = attrs;
        return this;
    }

    /** The backing array (read-only by contract). */
    abstract Object array();

    /** A vector of the same type over another array of the same component type. */
    abstract Vector withArray(Object array);

    /** Array slots per element (2 for guids, stored as two longs). */
    int slots() {
        return 1;
    }

    public int length() {
        return Array.getLength(array()) / slots();
    }

    public boolean isEmpty() {
        return length() == 0;
    }

    /** True when element {@code index} is its type's null. */
    public abstract boolean isNull(int index);

    /** Element {@code index} as a value: an atom for typed vectors, the element for a list. */
    public abstract RayValue at(int index);

    /** True when any element is null; the encoder sets the has-nulls attribute from this. */
    public boolean hasNulls() {
        for (int i = 0, n = length(); i < n; i++) {
            if (isNull(i)) {
                return true;
            }
        }
        return false;
    }

    /** Elements {@code from} (inclusive) to {@code to} (exclusive). */
    public Vector slice(int from, int to) {
        Objects.checkFromToIndex(from, to, length());
        if (from == 0 && to == length()) {
            return this;
        }
        int s = slots();
        Object src = array();
        Object dst = Array.newInstance(src.getClass().getComponentType(), (to - from) * s);
        System.arraycopy(src, from * s, dst, 0, (to - from) * s);
        return withArray(dst);
    }

    /**
     * Every element, in the order {@code indices} gives (a permutation of all of them): the parts
     * of one whole put back in the whole's order. The result keeps this vector's attribute byte,
     * as the engine answers a column it stores with the bits it keeps on it. (A {@link #gather}
     * of some elements is a new vector, with attributes of its own.)
     */
    public Vector wholeInOrder(int[] indices) {
        if (indices.length != length()) {
            throw new IllegalArgumentException("a whole in order needs every one of " + length() + " elements, got "
                    + indices.length);
        }
        Vector v = gather(indices);
        return v == this ? v : v.withWireAttrs(wireAttrs);
    }

    /** The elements at {@code indices}, in that order (indices may repeat); this vector itself when that is every element in order. */
    public Vector gather(int[] indices) {
        Object src = array();
        int n = length();
        boolean identity = indices.length == n;
        for (int i = 0; i < indices.length; i++) {
            Objects.checkIndex(indices[i], n);
            identity &= indices[i] == i;
        }
        if (identity) {
            return this;
        }
        Object dst;
        if (src instanceof long[] a) {
            if (slots() == 2) {
                long[] d = new long[indices.length * 2];
                for (int i = 0; i < indices.length; i++) {
                    d[2 * i] = a[2 * indices[i]];
                    d[2 * i + 1] = a[2 * indices[i] + 1];
                }
                dst = d;
            } else {
                long[] d = new long[indices.length];
                for (int i = 0; i < d.length; i++) {
                    d[i] = a[indices[i]];
                }
                dst = d;
            }
        } else if (src instanceof double[] a) {
            double[] d = new double[indices.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = a[indices[i]];
            }
            dst = d;
        } else if (src instanceof int[] a) {
            int[] d = new int[indices.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = a[indices[i]];
            }
            dst = d;
        } else if (src instanceof Object[] a) {
            Object[] d = (Object[]) Array.newInstance(a.getClass().getComponentType(), indices.length);
            for (int i = 0; i < d.length; i++) {
                d[i] = a[indices[i]];
            }
            dst = d;
        } else {
            int s = slots();
            dst = Array.newInstance(src.getClass().getComponentType(), indices.length * s);
            for (int i = 0; i < indices.length; i++) {
                System.arraycopy(src, indices[i] * s, dst, i * s, s);
            }
        }
        return withArray(dst);
    }

    /**
     * The parts joined end to end. All parts must have the same type (and class); an empty list
     * is rejected because it names no type.
     */
    public static Vector concat(List<? extends Vector> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("concat needs at least one vector");
        }
        Vector first = parts.get(0);
        if (parts.size() == 1) {
            return first;
        }
        long total = 0;
        byte attrs = 0;
        for (Vector v : parts) {
            attrs |= v.wireAttrs;
            if (v.getClass() != first.getClass() || v.type() != first.type()) {
                throw new IllegalArgumentException("cannot concat " + v.type().rayfallName() + " onto "
                        + first.type().rayfallName());
            }
            total += (long) Array.getLength(v.array());
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("concatenated vector too long: " + total / first.slots());
        }
        Object dst = Array.newInstance(first.array().getClass().getComponentType(), (int) total);
        int pos = 0;
        for (Vector v : parts) {
            int len = Array.getLength(v.array());
            System.arraycopy(v.array(), 0, dst, pos, len);
            pos += len;
        }
        // the parts of one whole (a table's shards): the whole had every bit a part had
        return first.withArray(dst).withWireAttrs(attrs);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Vector v && v.getClass() == getClass() && v.type() == type()
                && Objects.deepEquals(array(), v.array());
    }

    @Override
    public int hashCode() {
        return 31 * type().hashCode() + elementsHash();
    }

    abstract int elementsHash();

    /**
     * Writes the elements of a fixed-width vector as the engine lays them out (little-endian
     * numbers, b8 as 0/1 bytes, guids in RFC 4122 byte order) at {@code out}'s position, which
     * advances past them. Symbol, string and list vectors have no fixed layout and are refused.
     */
    public void writeElements(ByteBuffer out) {
        Object a = array();
        int p = out.position();
        ByteBuffer le = out.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (a instanceof long[] l && slots() == 2) {
            ByteBuffer be = out.duplicate().order(ByteOrder.BIG_ENDIAN);
            be.asLongBuffer().put(l);
            out.position(p + l.length * 8);
        } else if (a instanceof long[] l) {
            le.asLongBuffer().put(l);
            out.position(p + l.length * 8);
        } else if (a instanceof int[] i) {
            le.asIntBuffer().put(i);
            out.position(p + i.length * 4);
        } else if (a instanceof double[] d) {
            le.asDoubleBuffer().put(d);
            out.position(p + d.length * 8);
        } else if (a instanceof float[] f) {
            le.asFloatBuffer().put(f);
            out.position(p + f.length * 4);
        } else if (a instanceof short[] s) {
            le.asShortBuffer().put(s);
            out.position(p + s.length * 2);
        } else if (a instanceof byte[] b) {
            out.put(b);
        } else if (a instanceof boolean[] b) {
            for (boolean x : b) {
                out.put((byte) (x ? 1 : 0));
            }
        } else {
            throw new UnsupportedOperationException(type().rayfallName() + " vectors have no fixed-width layout");
        }
    }

    @Override
    public String toString() {
        return Printing.text(this);
    }
}
