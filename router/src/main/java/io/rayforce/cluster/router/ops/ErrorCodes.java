package io.rayforce.cluster.router.ops;

import io.rayforce.cluster.client.RayforceError;
import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.RayforceTCPError;
import io.rayforce.cluster.client.rayfall.RayfallSyntaxError;
import io.rayforce.cluster.router.exec.ClusterQueryError;
import io.rayforce.cluster.router.exec.MissingShardsError;
import io.rayforce.cluster.router.exec.QueryCancelledError;
import io.rayforce.cluster.router.exec.QueryTimeoutError;
import io.rayforce.cluster.router.exec.ResultLimitError;
import io.rayforce.cluster.router.exec.UnsupportedQueryError;
import io.rayforce.cluster.router.write.WriteFailedError;

/**
 * The short error code a failure is answered with (docs/gateway.md, Errors): an engine error keeps
 * the engine's code, cluster failures get the cluster's codes. The gateway answers with it, and
 * the query metrics count outcomes by it.
 */
public final class ErrorCodes {
    public static final String SHARD = "shard";
    public static final String TIMEOUT = "timeout";
    public static final String CANCEL = "cancel";
    public static final String UNSUPPORTED = "nyi";
    public static final String LIMIT = "limit";
    public static final String WRITE = "write";
    public static final String IO = "io";
    public static final String CLUSTER = "cluster";
    /** An unexpected failure: a bug. */
    public static final String INTERNAL = "error";

    private ErrorCodes() {
    }

    /** The code {@code failure} is answered with. */
    public static String of(Throwable failure) {
        if (failure instanceof RayfallSyntaxError e) {
            return e.code();
        }
        if (failure instanceof RayforceEvaluationError e) {
            return e.code();
        }
        if (failure instanceof MissingShardsError) {
            return SHARD;
        }
        if (failure instanceof QueryTimeoutError) {
            return TIMEOUT;
        }
        if (failure instanceof QueryCancelledError) {
            return CANCEL;
        }
        if (failure instanceof UnsupportedQueryError) {
            return UNSUPPORTED;
        }
        if (failure instanceof ResultLimitError) {
            return LIMIT;
        }
        if (failure instanceof WriteFailedError) {
            return WRITE;
        }
        if (failure instanceof ClusterQueryError) {
            return CLUSTER;
        }
        if (failure instanceof RayforceTCPError) {
            return IO;
        }
        if (failure instanceof RayforceError) {
            return CLUSTER;
        }
        return INTERNAL;
    }
}
