package io.rayforce.cluster.deploy;

import io.rayforce.cluster.coordinator.metrics.MetricsEndpoint;
import picocli.CommandLine.Option;

/**
 * Whether a member (gateway, node, coordinator) serves its meters to Prometheus over HTTP
 * (docs/operations.md): off unless {@code --metrics-port} is given.
 */
final class MetricsOptions {
    @Option(names = "--metrics-port", defaultValue = "${env:RFC_METRICS_PORT}", paramLabel = "P",
            description = "Serve Prometheus metrics at http://BIND:P/metrics (a gateway also serves its status page at "
                    + "/status); 0 for a free port (default: off; $RFC_METRICS_PORT).")
    Integer port;

    @Option(names = "--metrics-bind", defaultValue = "${env:RFC_METRICS_BIND:-127.0.0.1}", paramLabel = "ADDRESS",
            description = "Address the metrics endpoint listens on; plain HTTP without a password, so only where operators "
                    + "and Prometheus reach it (default: ${DEFAULT-VALUE}; $RFC_METRICS_BIND).")
    String bind;

    /** The endpoint, started; null when metrics are off. */
    MetricsEndpoint start() {
        return port == null ? null : MetricsEndpoint.start(bind, port);
    }
}
