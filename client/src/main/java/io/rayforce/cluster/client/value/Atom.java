package io.rayforce.cluster.client.value;

/** A single value of a scalar type. Typed nulls are the engine's sentinel values. */
public sealed interface Atom extends RayValue
        permits BoolAtom, U8Atom, I16Atom, I32Atom, I64Atom, F32Atom, F64Atom, DateAtom, TimeAtom,
                TimestampAtom, TimespanAtom, GuidAtom, Symbol, Name, Str {

    /** True when this atom is its type's null (for example {@code 0Nl}). */
    default boolean isNull() {
        return false;
    }
}
