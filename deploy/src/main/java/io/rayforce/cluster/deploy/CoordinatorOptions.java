package io.rayforce.cluster.deploy;

import java.time.Duration;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options every admin command shares: which coordinator, how long to wait for it, and TLS and the admin token. */
final class CoordinatorOptions {
    @Option(names = "--coordinator", defaultValue = "${env:RFC_COORDINATOR:-127.0.0.1:7070}", paramLabel = "HOST:PORT",
            description = "Any coordinator's gRPC address (default: $RFC_COORDINATOR or ${DEFAULT-VALUE}).")
    String address;

    @Option(names = "--timeout", defaultValue = "60s", paramLabel = "DURATION", converter = NodeCommand.DurationConverter.class,
            description = "How long to wait for the coordinator (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Mixin
    AdminAuthOptions auth;
}
