package io.rayforce.cluster.router.gateway;

import io.rayforce.cluster.client.value.RayError;
import io.rayforce.cluster.router.ops.ErrorCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An error answered to a client: the short code the wire carries (an engine error keeps the
 * engine's code; cluster failures get the codes below, at most 7 ASCII characters) and the full
 * message, kept for {@code (.cluster.lastError)}.
 *
 * <table>
 *   <caption>Cluster error codes</caption>
 *   <tr><td>{@code shard}</td><td>a shard could not be read from any replica</td></tr>
 *   <tr><td>{@code timeout}</td><td>the query ran past its timeout</td></tr>
 *   <tr><td>{@code cancel}</td><td>the client cancelled the query (as the engine's own code)</td></tr>
 *   <tr><td>{@code nyi}</td><td>the cluster does not run this query shape</td></tr>
 *   <tr><td>{@code access}</td><td>the cluster refuses to run a function on behalf of clients (the data-path rule,
 *   {@code DataPathGate}), or a read-only user's write</td></tr>
 *   <tr><td>{@code limit}</td><td>a limit of the gateway's was passed: the result's frame, rows or bytes, the
 *   request's size, the user's concurrent queries ({@link GatewayLimits})</td></tr>
 *   <tr><td>{@code busy}</td><td>every worker is taken and the queue is full</td></tr>
 *   <tr><td>{@code write}</td><td>a write was not acknowledged (no replica of some shard applied it)</td></tr>
 *   <tr><td>{@code io}</td><td>a node could not be reached (as the engine's code for IPC failures)</td></tr>
 *   <tr><td>{@code cluster}</td><td>any other failure of the cluster's (ZooKeeper, placement)</td></tr>
 *   <tr><td>{@code error}</td><td>an unexpected failure inside the gateway</td></tr>
 * </table>
 */
record ErrorReply(String code, String message) {
    private static final Logger log = LoggerFactory.getLogger(ErrorReply.class);

    static final String SHARD = ErrorCodes.SHARD;
    static final String TIMEOUT = ErrorCodes.TIMEOUT;
    static final String CANCEL = ErrorCodes.CANCEL;
    static final String UNSUPPORTED = ErrorCodes.UNSUPPORTED;
    static final String ACCESS = "access";
    static final String LIMIT = ErrorCodes.LIMIT;
    static final String BUSY = "busy";
    static final String WRITE = ErrorCodes.WRITE;
    static final String IO = ErrorCodes.IO;
    static final String CLUSTER = ErrorCodes.CLUSTER;
    static final String INTERNAL = ErrorCodes.INTERNAL;

    ErrorReply {
        if (code.isEmpty() || code.length() >= RayError.MAX_CODE_BYTES || !code.chars().allMatch(c -> c > 32 && c < 127)) {
            throw new IllegalArgumentException("error code must be 1.." + (RayError.MAX_CODE_BYTES - 1)
                    + " printable ASCII characters: '" + code + "'");
        }
    }

    /** The value sent on the wire. */
    RayError value() {
        return new RayError(code);
    }

    /** What to answer for {@code failure}; {@code cancelReason} is set when the gateway cancelled the query itself. */
    static ErrorReply of(Throwable failure, String cancelReason) {
        if (cancelReason != null) {
            return new ErrorReply(CANCEL, "query cancelled: " + cancelReason);
        }
        if (failure instanceof ResultTooLargeError) {
            return new ErrorReply(LIMIT, failure.getMessage());
        }
        String code = ErrorCodes.of(failure);
        if (code.equals(INTERNAL)) {
            log.warn("unexpected failure while answering a request", failure);
            return new ErrorReply(INTERNAL, "internal gateway error: " + failure);
        }
        return new ErrorReply(code, failure.getMessage());
    }
}
