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
import java.util.List;
import java.util.Map;

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

    /** The code of each other failure type, the first type that matches winning (subtypes before their supertypes). */
    private static final List<Map.Entry<Class<? extends Throwable>, String>> BY_TYPE = List.of(
            Map.entry(MissingShardsError.class, SHARD),
            Map.entry(QueryTimeoutError.class, TIMEOUT),
            Map.entry(QueryCancelledError.class, CANCEL),
            Map.entry(UnsupportedQueryError.class, UNSUPPORTED),
            Map.entry(ResultLimitError.class, LIMIT),
            Map.entry(WriteFailedError.class, WRITE),
            Map.entry(ClusterQueryError.class, CLUSTER),
            Map.entry(RayforceTCPError.class, IO),
            Map.entry(RayforceError.class, CLUSTER));

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
        for (Map.Entry<Class<? extends Throwable>, String> e : BY_TYPE) {
            if (e.getKey().isInstance(failure)) {
                return e.getValue();
            }
        }
        return INTERNAL;
    }
}
