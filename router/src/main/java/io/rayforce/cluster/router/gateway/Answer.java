package io.rayforce.cluster.router.gateway;

import io.rayforce.cluster.client.value.RayError;
import io.rayforce.cluster.client.value.RayValue;

/**
 * What a request gets back: the value to send (an error value for a failed request) and, for
 * failures, the full text kept for {@code (.cluster.lastError)}.
 */
record Answer(RayValue value, String errorText) {
    static Answer of(RayValue value) {
        return new Answer(value, null);
    }

    static Answer error(ErrorReply e) {
        return new Answer(e.value(), e.message());
    }

    boolean failed() {
        return errorText != null;
    }

    /** {@code ok}, or the error code answered. */
    String outcome() {
        return value instanceof RayError e ? e.code() : failed() ? ErrorReply.INTERNAL : "ok";
    }
}
