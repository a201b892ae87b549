package io.rayforce.cluster.client.ipc;

import io.rayforce.cluster.client.value.RayValue;

/** A decoded frame: its message type and the value it carries. */
public record Message(MessageType type, RayValue value) {
}
