package io.rayforce.cluster.client.value;

/**
 * Anything that can be sent to the engine: a value, or a query object that compiles to the
 * expression the engine evaluates (as rayforce-py's {@code .ipc}).
 */
public interface Encodable {
    /** The value sent on the wire for this object. */
    RayValue ipc();
}
