package io.rayforce.cluster.chaos.workload;

import io.rayforce.cluster.client.value.RayValue;

/**
 * What a client got for one request: a value, or an error and whether the request may have
 * reached the cluster ({@code sent}: false only when no connection could be made, so a write
 * certainly did not happen).
 */
public record Reply(RayValue value, String error, boolean sent) {
    public static Reply of(RayValue value) {
        return new Reply(value, null, true);
    }

    public static Reply failed(String error, boolean sent) {
        return new Reply(null, error, sent);
    }

    public boolean ok() {
        return error == null;
    }
}
