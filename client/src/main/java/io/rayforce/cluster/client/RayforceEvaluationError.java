package io.rayforce.cluster.client;

import java.util.Objects;

/**
 * The engine evaluated the request and answered with an error. {@link #code()} is the engine's
 * error code ({@code type}, {@code domain}, {@code length}, {@code name}, ...). The connection
 * stays usable.
 */
public class RayforceEvaluationError extends RayforceError {
    private final String code;

    public RayforceEvaluationError(String code, String context) {
        super(context == null || context.isEmpty() ? "engine error: " + code : "engine error: " + code + " (" + context + ")");
        this.code = Objects.requireNonNull(code);
    }

    public RayforceEvaluationError(String code) {
        this(code, null);
    }

    /** The engine's error code. */
    public String code() {
        return code;
    }
}
