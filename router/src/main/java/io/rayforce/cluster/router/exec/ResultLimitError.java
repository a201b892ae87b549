package io.rayforce.cluster.router.exec;

import io.rayforce.cluster.client.RayforceError;

/** A query's answer would pass one of its {@link ResultLimits}: the message names the limit and what was seen. */
public final class ResultLimitError extends RayforceError {
    public ResultLimitError(String message) {
        super(message);
    }
}
