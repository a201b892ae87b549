package io.rayforce.cluster.client.query;

import io.rayforce.cluster.client.value.BoolAtom;
import io.rayforce.cluster.client.value.BoolVector;
import io.rayforce.cluster.client.value.DateAtom;
import io.rayforce.cluster.client.value.DateVector;
import io.rayforce.cluster.client.value.Encodable;
import io.rayforce.cluster.client.value.F32Atom;
import io.rayforce.cluster.client.value.F32Vector;
import io.rayforce.cluster.client.value.F64Atom;
import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.GuidAtom;
import io.rayforce.cluster.client.value.GuidVector;
import io.rayforce.cluster.client.value.I16Atom;
import io.rayforce.cluster.client.value.I16Vector;
import io.rayforce.cluster.client.value.I32Atom;
import io.rayforce.cluster.client.value.I32Vector;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Nulls;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Str;
import io.rayforce.cluster.client.value.StringVector;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.Temporals;
import io.rayforce.cluster.client.value.TimeAtom;
import io.rayforce.cluster.client.value.TimeVector;
import io.rayforce.cluster.client.value.TimestampAtom;
import io.rayforce.cluster.client.value.TimestampVector;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * Java values to query literals. In expressions ({@link #of}) a {@code String} is a string atom;
 * in data written to a table ({@link #data}: insert, upsert and update values) it is a symbol,
 * since text columns are usually symbol columns (pass {@link Str} for a string column).
 * Numbers: Integer and Long are i64, Short i16, Double f64, Float f32; Boolean is b8;
 * LocalDate, LocalTime, Instant and LocalDateTime (UTC) are date, time and timestamp; UUID a
 * guid; a Collection becomes a typed vector; any {@link RayValue} is used as it is.
 */
public final class Literals {
    private Literals() {
    }

    /** {@code value} as an expression operand. */
    public static Expr of(Object value) {
        if (value instanceof Expr e) {
            return e;
        }
        if (value instanceof String s) {
            return new Literal(Str.of(s));
        }
        return toExpr(value(value, false));
    }

    /** {@code value} as data written into a table: strings are symbols. */
    public static Expr data(Object value) {
        if (value instanceof Expr e) {
            return e;
        }
        return toExpr(value(value, true));
    }

    private static Expr toExpr(RayValue v) {
        return Queries.expr(v);
    }

    /** The value model's value for a Java value; strings are symbols when {@code symbols}. */
    static RayValue value(Object value, boolean symbols) {
        if (value == null) {
            throw new IllegalArgumentException("Java null has no Rayfall literal; use a typed null such as I64Atom.NULL");
        }
        if (value instanceof RayValue v) {
            return v;
        }
        if (value instanceof Encodable e) {
            return e.ipc();
        }
        if (value instanceof String s) {
            return symbols ? Symbol.of(s) : Str.of(s);
        }
        if (value instanceof Long || value instanceof Integer) {
            return I64Atom.of(((Number) value).longValue());
        }
        if (value instanceof Short s) {
            return new I16Atom(s);
        }
        if (value instanceof Double d) {
            return F64Atom.of(d);
        }
        if (value instanceof Float f) {
            return new F32Atom(f);
        }
        if (value instanceof Boolean b) {
            return BoolAtom.of(b);
        }
        if (value instanceof LocalDate d) {
            return DateAtom.of(d);
        }
        if (value instanceof LocalTime t) {
            return TimeAtom.of(t);
        }
        if (value instanceof Instant i) {
            return TimestampAtom.of(i);
        }
        if (value instanceof LocalDateTime t) {
            return TimestampAtom.of(t);
        }
        if (value instanceof UUID u) {
            return new GuidAtom(u);
        }
        if (value instanceof Collection<?> c) {
            return vector(new ArrayList<>(c), symbols);
        }
        if (value instanceof Object[] a) {
            return vector(List.of(a), symbols);
        }
        throw new IllegalArgumentException("no Rayfall literal for a " + value.getClass().getName());
    }

    /** A typed vector of Java values (strings as symbols); a mixed list becomes a generic list. */
    public static RayValue vector(List<?> items) {
        return vector(items, true);
    }

    /** For {@code in}: strings as a symbol vector, other values as a typed vector. */
    static RayValue symbolsOrVector(List<?> items) {
        if (items.size() == 1 && items.get(0) instanceof Collection<?> c) {
            return vector(new ArrayList<>(c), true);
        }
        return vector(items, true);
    }

    static RayValue vector(List<?> items, boolean symbols) {
        List<RayValue> atoms = new ArrayList<>(items.size());
        for (Object o : items) {
            atoms.add(value(o, symbols));
        }
        return vectorOfAtoms(atoms);
    }

    /** Atoms of one type as a typed vector (i64 and f64 mix into f64); anything else as a generic list. */
    public static RayValue vectorOfAtoms(List<RayValue> atoms) {
        if (atoms.isEmpty()) {
            return I64Vector.of();
        }
        Class<?> k = atoms.get(0).getClass();
        boolean same = atoms.stream().allMatch(a -> a.getClass() == k);
        boolean numeric = atoms.stream().allMatch(a -> a instanceof I64Atom || a instanceof F64Atom);
        int n = atoms.size();
        if (!same && numeric) {
            double[] d = new double[n];
            for (int i = 0; i < n; i++) {
                RayValue a = atoms.get(i);
                d[i] = a instanceof I64Atom l ? (l.isNull() ? Nulls.F64 : l.value()) : ((F64Atom) a).value();
            }
            return new F64Vector(d);
        }
        if (!same) {
            return RayList.of(atoms);
        }
        RayValue first = atoms.get(0);
        if (first instanceof I64Atom) {
            return new I64Vector(atoms.stream().mapToLong(a -> ((I64Atom) a).value()).toArray());
        }
        if (first instanceof F64Atom) {
            return new F64Vector(atoms.stream().mapToDouble(a -> ((F64Atom) a).value()).toArray());
        }
        if (first instanceof Symbol) {
            return SymbolVector.of(atoms.stream().map(a -> ((Symbol) a).name()).toList());
        }
        if (first instanceof Str) {
            return StringVector.of(atoms.stream().map(a -> ((Str) a).value()).toArray(String[]::new));
        }
        if (first instanceof BoolAtom) {
            boolean[] b = new boolean[n];
            for (int i = 0; i < n; i++) {
                b[i] = ((BoolAtom) atoms.get(i)).value();
            }
            return new BoolVector(b);
        }
        if (first instanceof I32Atom) {
            return new I32Vector(atoms.stream().mapToInt(a -> ((I32Atom) a).value()).toArray());
        }
        if (first instanceof I16Atom) {
            short[] s = new short[n];
            for (int i = 0; i < n; i++) {
                s[i] = ((I16Atom) atoms.get(i)).value();
            }
            return new I16Vector(s);
        }
        if (first instanceof F32Atom) {
            float[] f = new float[n];
            for (int i = 0; i < n; i++) {
                f[i] = ((F32Atom) atoms.get(i)).value();
            }
            return new F32Vector(f);
        }
        if (first instanceof DateAtom) {
            return new DateVector(atoms.stream().mapToInt(a -> ((DateAtom) a).days()).toArray());
        }
        if (first instanceof TimeAtom) {
            return new TimeVector(atoms.stream().mapToInt(a -> ((TimeAtom) a).millis()).toArray());
        }
        if (first instanceof TimestampAtom) {
            return new TimestampVector(atoms.stream().mapToLong(a -> ((TimestampAtom) a).nanos()).toArray());
        }
        if (first instanceof GuidAtom) {
            return GuidVector.of(atoms.stream().map(a -> ((GuidAtom) a).value()).toArray(UUID[]::new));
        }
        return RayList.of(atoms);
    }

    static long nanos(Instant i) {
        return Temporals.nanos(i);
    }
}
