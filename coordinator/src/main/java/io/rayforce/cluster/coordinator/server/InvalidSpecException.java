package io.rayforce.cluster.coordinator.server;

/** A table spec (or another request) breaks a rule; the message names the field. */
public class InvalidSpecException extends RuntimeException {
    private final String field;

    public InvalidSpecException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    /** The offending field, e.g. {@code spec.shard_key}. */
    public String field() {
        return field;
    }
}
