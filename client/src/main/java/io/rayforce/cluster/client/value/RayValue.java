package io.rayforce.cluster.client.value;

/**
 * A value of the engine's data model: what a frame carries. Implementations are immutable;
 * {@code toString()} is Rayfall text (long vectors abbreviated).
 */
public sealed interface RayValue extends Encodable
        permits Atom, Vector, RayDict, RayTable, RayNull, RayError, Lambda, Builtin {

    RayType type();

    @Override
    default RayValue ipc() {
        return this;
    }
}
