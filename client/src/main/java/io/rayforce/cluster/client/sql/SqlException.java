package io.rayforce.cluster.client.sql;

import io.rayforce.cluster.client.RayforceError;

/** SQL that cannot be parsed, or that uses a construct the translation to Rayfall does not support (named in the message). */
public final class SqlException extends RayforceError {
    public SqlException(String message) {
        super(message);
    }

    public SqlException(String message, Throwable cause) {
        super(message, cause);
    }

    static SqlException unsupported(String construct) {
        return new SqlException("SQL " + construct + " is not supported");
    }
}
