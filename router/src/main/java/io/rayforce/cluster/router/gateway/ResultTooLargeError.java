package io.rayforce.cluster.router.gateway;

import io.rayforce.cluster.client.RayforceError;

/** A result does not fit in one response frame: the client gets error {@code limit} instead of a dropped connection. */
final class ResultTooLargeError extends RayforceError {
    ResultTooLargeError(long bytes, long limit) {
        super("the result needs " + bytes + " bytes on the wire and the gateway sends at most " + limit
                + " bytes in one frame (Rayforce clients refuse larger frames); select fewer rows or columns, "
                + "page with take, or store it with (set name ...) instead of fetching it");
    }
}
