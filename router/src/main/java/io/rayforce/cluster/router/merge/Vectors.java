package io.rayforce.cluster.router.merge;

import io.rayforce.cluster.client.value.BoolAtom;
import io.rayforce.cluster.client.value.BoolVector;
import io.rayforce.cluster.client.value.DateAtom;
import io.rayforce.cluster.client.value.DateVector;
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
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Str;
import io.rayforce.cluster.client.value.StringVector;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.TimeAtom;
import io.rayforce.cluster.client.value.TimeVector;
import io.rayforce.cluster.client.value.TimestampAtom;
import io.rayforce.cluster.client.value.TimestampVector;
import io.rayforce.cluster.client.value.U8Atom;
import io.rayforce.cluster.client.value.U8Vector;
import io.rayforce.cluster.client.value.Vector;

/** Vectors made from atoms, as the engine would hold them. */
public final class Vectors {
    private Vectors() {
    }

    /** A vector of one element: the atom's typed vector, or a generic list for anything else. */
    public static Vector of(RayValue atom) {
        if (atom instanceof I64Atom a) {
            return new I64Vector(new long[] {a.value()});
        } else if (atom instanceof F64Atom a) {
            return new F64Vector(new double[] {a.value()});
        } else if (atom instanceof I32Atom a) {
            return new I32Vector(new int[] {a.value()});
        } else if (atom instanceof I16Atom a) {
            return new I16Vector(new short[] {a.value()});
        } else if (atom instanceof F32Atom a) {
            return new F32Vector(new float[] {a.value()});
        } else if (atom instanceof DateAtom a) {
            return new DateVector(new int[] {a.days()});
        } else if (atom instanceof TimeAtom a) {
            return new TimeVector(new int[] {a.millis()});
        } else if (atom instanceof TimestampAtom a) {
            return new TimestampVector(new long[] {a.nanos()});
        } else if (atom instanceof BoolAtom a) {
            return new BoolVector(new boolean[] {a.value()});
        } else if (atom instanceof U8Atom a) {
            return new U8Vector(new byte[] {a.value()});
        } else if (atom instanceof Symbol a) {
            return SymbolVector.of(a.name());
        } else if (atom instanceof Str a) {
            return new StringVector(new String[] {a.value()});
        } else if (atom instanceof GuidAtom a) {
            return new GuidVector(new long[] {a.value().getMostSignificantBits(), a.value().getLeastSignificantBits()});
        }
        return RayList.of(atom);
    }
}
