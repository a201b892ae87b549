package io.rayforce.cluster.router.plan.aggregate;

import io.rayforce.cluster.client.query.Call;
import io.rayforce.cluster.client.query.Column;
import io.rayforce.cluster.client.query.Expr;
import io.rayforce.cluster.client.query.Literal;
import io.rayforce.cluster.client.query.Named;
import io.rayforce.cluster.client.value.BoolVector;
import io.rayforce.cluster.client.value.DateVector;
import io.rayforce.cluster.client.value.F32Vector;
import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.GuidAtom;
import io.rayforce.cluster.client.value.GuidVector;
import io.rayforce.cluster.client.value.I16Vector;
import io.rayforce.cluster.client.value.I32Vector;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.IntBackedVector;
import io.rayforce.cluster.client.value.LongBackedVector;
import io.rayforce.cluster.client.value.Nulls;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.TimeVector;
import io.rayforce.cluster.client.value.TimestampVector;
import io.rayforce.cluster.client.value.U8Vector;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.router.plan.Hidden;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The pieces the aggregate rules share: partial expressions and reading partial columns. */
final class Partials {
    private Partials() {
    }

    /** {@code name: (f x)}. */
    static Named call(String name, String f, Expr x) {
        return new Named(name, new Call(f, List.of(x)));
    }

    /** {@code name: (f x y)}. */
    static Named call(String name, String f, Expr x, Expr y) {
        return new Named(name, new Call(f, List.of(x, y)));
    }

    /**
     * {@code x} where {@code y} has a value, null where it has none: {@code (+ x (* 0 y))} (the
     * engine's arithmetic gives null when an operand is null). The pairs a two-argument
     * aggregate such as {@code cov} takes are the rows where both have a value.
     */
    static Expr wherePaired(Expr x, Expr y) {
        return new Call("+", List.of(x, new Call("*", List.of(new Literal(I64Atom.of(0)), y))));
    }

    /** The engine has no infinities: a float result that overflows is null. */
    static double finite(double v) {
        return Double.isInfinite(v) ? Nulls.F64 : v;
    }

    /**
     * {@code (- (count x) (sum (nil? x)))}: how many values are not null. Measured on the pinned
     * engine this costs about half of {@code (sum (not (nil? x)))} (one temporary vector fewer).
     */
    static Named nonNullCount(String name, Expr x) {
        return new Named(name, nonNullCount(x));
    }

    private static Expr nonNullCount(Expr x) {
        return new Call("-", List.of(new Call("count", List.of(x)), new Call("sum", List.of(new Call("nil?", List.of(x))))));
    }

    /** {@code (min (if (nil? x) 0N __seq))}: the sequence number of the first (or last, with max) non-null value. */
    static Named seqOfNonNull(String name, Expr x, String minOrMax) {
        return new Named(name, seqOfNonNull(x, minOrMax));
    }

    private static Expr seqOfNonNull(Expr x, String minOrMax) {
        Expr seqIfValue = new Call("if", List.of(new Call("nil?", List.of(x)), new Literal(I64Atom.NULL), Column.of(Hidden.SEQ)));
        return new Call(minOrMax, List.of(seqIfValue));
    }

    /** {@code (* w (not (nil? x)))}: {@code w} on the rows where {@code x} has a value, 0 elsewhere. */
    static Expr whereValued(Expr w, Expr x) {
        return new Call("*", List.of(w, new Call("not", List.of(new Call("nil?", List.of(x))))));
    }

    /**
     * {@code partials} as they may be computed where {@code x} holds no null: a non-null count of x
     * is {@code (count x)}, the sequence of x's first (last) non-null value is the first (last)
     * row's, {@code (first __seq)} (a shard's rows are in {@code __seq} order), and
     * {@code (sum (* w (not (nil? x))))} is {@code (sum w)}; null when none of them is there.
     */
    static List<Named> withoutNulls(List<Named> partials, Expr x) {
        List<Named> out = new ArrayList<>();
        boolean changed = false;
        for (Named n : partials) {
            Expr lean = withoutNulls(n.expr(), x);
            changed |= lean != n.expr();
            out.add(lean == n.expr() ? n : new Named(n.name(), lean));
        }
        return changed ? out : null;
    }

    private static Expr withoutNulls(Expr e, Expr x) {
        if (e.equals(nonNullCount(x))) {
            return new Call("count", List.of(x));
        }
        if (e.equals(seqOfNonNull(x, "min")) || e.equals(seqOfNonNull(x, "max"))) {
            return new Call(e.equals(seqOfNonNull(x, "min")) ? "first" : "last", List.of(Column.of(Hidden.SEQ)));
        }
        if (e instanceof Call sum && sum.function().equals("sum") && sum.args().size() == 1 && sum.args().get(0) instanceof Call times
                && times.args().size() == 2 && times.equals(whereValued(times.args().get(0), x))) {
            return new Call("sum", List.of(times.args().get(0)));
        }
        return e;
    }

    /** The empty column of a partial, typed as the shards computed it (i64 when no shard answered at all). */
    static Vector emptyLike(RayTable partials, String column) {
        return partials == null || !partials.hasColumn(column) ? I64Vector.of() : partials.column(column).slice(0, 0);
    }

    /** The null of {@code v}'s type as an atom (false and 0 for booleans and bytes, which have none). */
    static RayValue nullLike(Vector v) {
        Vector one;
        if (v instanceof I64Vector || v instanceof TimestampVector) {
            one = v instanceof I64Vector ? new I64Vector(new long[] {Nulls.I64}) : new TimestampVector(new long[] {Nulls.I64});
        } else if (v instanceof I32Vector) {
            one = new I32Vector(new int[] {Nulls.I32});
        } else if (v instanceof DateVector) {
            one = new DateVector(new int[] {Nulls.I32});
        } else if (v instanceof TimeVector) {
            one = new TimeVector(new int[] {Nulls.I32});
        } else if (v instanceof I16Vector) {
            one = new I16Vector(new short[] {Nulls.I16});
        } else if (v instanceof F32Vector) {
            one = new F32Vector(new float[] {Nulls.F32});
        } else if (v instanceof SymbolVector) {
            one = SymbolVector.of(Nulls.SYMBOL);
        } else if (v instanceof GuidVector) {
            return GuidAtom.NULL;
        } else if (v instanceof BoolVector) {
            one = new BoolVector(new boolean[] {false});
        } else if (v instanceof U8Vector) {
            one = new U8Vector(new byte[] {0});
        } else {
            one = new F64Vector(new double[] {Nulls.F64});
        }
        return one.at(0);
    }

    /** The values a gathered partial holds at {@code row}: the list a grouped select made, or the shard's vector. */
    static Vector valuesAt(Vector column, int row) {
        if (column instanceof RayList l && l.get(row) instanceof Vector v) {
            return v;
        }
        if (!(column instanceof RayList)) {
            // a group with one value per shard can come back as a plain typed column
            return column.slice(row, row + 1);
        }
        throw new IllegalStateException("expected a vector of values in a gathered column, got " + column.at(row));
    }

    /** Every value vector of a gathered column, per group. */
    static List<List<Vector>> gathered(Vector column, int[][] groups) {
        List<List<Vector>> out = new ArrayList<>(groups.length);
        for (int[] rows : groups) {
            List<Vector> vs = new ArrayList<>(rows.length);
            for (int r : rows) {
                vs.add(valuesAt(column, r));
            }
            out.add(vs);
        }
        return out;
    }

    /** The non-null values of numeric vectors as doubles. */
    static double[] numbers(List<Vector> parts) {
        int n = 0;
        for (Vector v : parts) {
            n += v.length();
        }
        double[] out = new double[n];
        int k = 0;
        for (Vector v : parts) {
            for (int i = 0; i < v.length(); i++) {
                if (!v.isNull(i)) {
                    out[k++] = asDouble(v, i);
                }
            }
        }
        return Arrays.copyOf(out, k);
    }

    static double asDouble(Vector v, int i) {
        if (v instanceof LongBackedVector l) {
            return l.get(i);
        } else if (v instanceof IntBackedVector x) {
            return x.get(i);
        } else if (v instanceof F64Vector x) {
            return x.get(i);
        } else if (v instanceof F32Vector x) {
            return x.get(i);
        } else if (v instanceof I16Vector x) {
            return x.get(i);
        } else if (v instanceof U8Vector x) {
            return x.unsigned(i);
        } else if (v instanceof BoolVector x) {
            return x.get(i) ? 1 : 0;
        }
        throw new IllegalArgumentException("expected numbers, got a " + v.type().rayfallName() + " column");
    }
}
