package io.rayforce.cluster.client.rayfall;

import io.rayforce.cluster.client.RayforceError;

/**
 * Rayfall source that cannot be read. Carries where the problem is (1-based line and column,
 * 0-based character offset), what is wrong, and the error code the engine answers for the same
 * text: {@code parse} for malformed text, {@code domain} for a bracketed vector that mixes types.
 */
public final class RayfallSyntaxError extends RayforceError {
    private final int line;
    private final int column;
    private final int offset;
    private final String reason;
    private final String code;

    public RayfallSyntaxError(String reason, int line, int column, int offset, String code) {
        super("Rayfall syntax error at line " + line + ", column " + column + ": " + reason);
        this.line = line;
        this.column = column;
        this.offset = offset;
        this.reason = reason;
        this.code = code;
    }

    /** 1-based line of the problem. */
    public int line() {
        return line;
    }

    /** 1-based column (in UTF-16 chars) of the problem. */
    public int column() {
        return column;
    }

    /** 0-based character offset of the problem in the source. */
    public int offset() {
        return offset;
    }

    /** What is wrong, without the position. */
    public String reason() {
        return reason;
    }

    /** The engine's error code for the same text: {@code parse} or {@code domain}. */
    public String code() {
        return code;
    }
}
