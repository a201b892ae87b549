package io.rayforce.cluster.router.gateway;

import io.rayforce.cluster.client.ipc.Wire;
import java.time.Duration;
import java.util.Objects;

/**
 * What one client may take from a {@link Gateway} (docs/gateway.md, Limits; docs/security.md,
 * Hostile input). Going over a limit fails that request, or that connection, with a clear error;
 * the gateway and its other clients carry on.
 *
 * @param maxRequestBytes the largest request payload (a frame, or a compressed frame restored);
 *        a larger frame is answered with error {@code limit} when nothing else of the connection
 *        is pending, and the connection is closed (its bytes cannot be skipped safely)
 * @param maxConnections connections open at once; one more is closed as soon as it is accepted
 * @param idleTimeout how long a connection may go without a complete request while none of its
 *        requests runs or waits (a stalled or trickled frame does not count as activity); zero:
 *        no limit, as on the engine
 * @param maxQueuedRequests requests of one connection waiting behind its running one before the
 *        gateway stops reading from it (TCP back-pressure; nothing is refused)
 * @param maxQueriesPerUser requests of one user (with a users file) or one client address
 *        (without) running or waiting for a worker at once; the next one is answered with error
 *        {@code limit}; zero: no limit
 * @param maxResultRows rows of a merged answer; a query over it fails with error {@code limit},
 *        early when the shard answers of a plain select already pass it; zero: no limit
 */
public record GatewayLimits(int maxRequestBytes, int maxConnections, Duration idleTimeout, int maxQueuedRequests,
                            int maxQueriesPerUser, long maxResultRows) {
    /** 256 MiB requests (the engine's frame limit), 1024 connections, no idle timeout, 64 queued requests, no per-user or row limit. */
    public static final GatewayLimits DEFAULT = new GatewayLimits(Wire.MAX_PAYLOAD_BYTES, 1024, Duration.ZERO, 64, 0, 0);

    public GatewayLimits {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (maxRequestBytes < 16 || maxRequestBytes > Wire.MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("max request bytes must be 16.." + Wire.MAX_PAYLOAD_BYTES + ", got " + maxRequestBytes);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("max connections must be at least 1, got " + maxConnections);
        }
        if (idleTimeout.isNegative()) {
            throw new IllegalArgumentException("idle timeout must not be negative (zero means none), got " + idleTimeout);
        }
        if (maxQueuedRequests < 1) {
            throw new IllegalArgumentException("max queued requests must be at least 1, got " + maxQueuedRequests);
        }
        if (maxQueriesPerUser < 0 || maxResultRows < 0) {
            throw new IllegalArgumentException("per-user queries and result rows must not be negative (zero means no limit)");
        }
    }

    public GatewayLimits withMaxRequestBytes(int bytes) {
        return new GatewayLimits(bytes, maxConnections, idleTimeout, maxQueuedRequests, maxQueriesPerUser, maxResultRows);
    }

    public GatewayLimits withMaxConnections(int n) {
        return new GatewayLimits(maxRequestBytes, n, idleTimeout, maxQueuedRequests, maxQueriesPerUser, maxResultRows);
    }

    public GatewayLimits withIdleTimeout(Duration timeout) {
        return new GatewayLimits(maxRequestBytes, maxConnections, timeout, maxQueuedRequests, maxQueriesPerUser, maxResultRows);
    }

    public GatewayLimits withMaxQueuedRequests(int n) {
        return new GatewayLimits(maxRequestBytes, maxConnections, idleTimeout, n, maxQueriesPerUser, maxResultRows);
    }

    public GatewayLimits withMaxQueriesPerUser(int n) {
        return new GatewayLimits(maxRequestBytes, maxConnections, idleTimeout, maxQueuedRequests, n, maxResultRows);
    }

    public GatewayLimits withMaxResultRows(long rows) {
        return new GatewayLimits(maxRequestBytes, maxConnections, idleTimeout, maxQueuedRequests, maxQueriesPerUser, rows);
    }
}
