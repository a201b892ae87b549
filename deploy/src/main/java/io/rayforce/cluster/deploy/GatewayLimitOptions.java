package io.rayforce.cluster.deploy;

import io.rayforce.cluster.node.ByteSize;
import io.rayforce.cluster.router.gateway.GatewayLimits;
import io.rayforce.cluster.router.gateway.GatewayOptions;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The gateway's limits on what one client may take (docs/gateway.md, Limits), shared by
 * {@code rfc gateway} and {@code rfc local}.
 */
public final class GatewayLimitOptions {
    @Option(names = "--max-request", defaultValue = "256M", paramLabel = "SIZE",
            description = "Largest request frame (restored size if compressed); a larger one closes the connection, "
                    + "after error limit when nothing else is pending (default: ${DEFAULT-VALUE}, the engine's).")
    String maxRequest;

    @Option(names = "--max-connections", defaultValue = "1024", paramLabel = "N",
            description = "Connections open at once; more are closed as they arrive (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--idle-timeout", defaultValue = "0s", paramLabel = "DURATION", converter = NodeCommand.DurationConverter.class,
            description = "Close a connection without a complete request for this long while nothing of it runs; "
                    + "0s for never, as the engine (default: ${DEFAULT-VALUE}).")
    Duration idleTimeout;

    @Option(names = "--max-queued", defaultValue = "64", paramLabel = "N",
            description = "Requests of one connection waiting behind its running one before the gateway stops reading "
                    + "from it (default: ${DEFAULT-VALUE}).")
    int maxQueued;

    @Option(names = "--max-queries-per-user", defaultValue = "0", paramLabel = "N",
            description = "Requests of one user (users file) or client address running or waiting for a worker at once; "
                    + "more get error limit; 0 for no limit (default: ${DEFAULT-VALUE}).")
    int maxQueriesPerUser;

    @Option(names = "--max-result-rows", defaultValue = "0", paramLabel = "N",
            description = "Rows of an answer; more get error limit (a plain select stops once its shards sent more); "
                    + "0 for no limit (default: ${DEFAULT-VALUE}).")
    long maxResultRows;

    /** The limits as given. */
    GatewayLimits limits() {
        long request = ByteSize.parse(maxRequest);
        if (request > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("--max-request " + maxRequest + " is over the engine's frame limit (256M)");
        }
        return GatewayLimits.DEFAULT.withMaxRequestBytes((int) request).withMaxConnections(maxConnections)
                .withIdleTimeout(idleTimeout).withMaxQueuedRequests(maxQueued).withMaxQueriesPerUser(maxQueriesPerUser)
                .withMaxResultRows(maxResultRows);
    }

    /** {@code options} with these limits. */
    GatewayOptions apply(GatewayOptions options) {
        return options.withLimits(limits());
    }
}
