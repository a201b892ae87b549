package io.rayforce.cluster.deploy;

import io.rayforce.cluster.node.ByteSize;
import io.rayforce.cluster.router.ClusterClient;
import io.rayforce.cluster.router.gateway.Gateway;
import io.rayforce.cluster.router.gateway.GatewayOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rfc gateway}: serves a cluster over the Rayforce IPC protocol until SIGTERM or Ctrl-C. */
@Command(name = "gateway", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Serve a cluster as one Rayforce server: clients connect with rayforce-py's TCPClient, the Java "
                + "TCPClient or another engine's .ipc.open and send Rayfall text or expressions as to one server. "
                + "Runs until SIGTERM or Ctrl-C, then drains (see --drain-grace). See docs/gateway.md.")
public final class GatewayCommand implements Callable<Integer> {
    @Option(names = "--zookeeper", required = true, paramLabel = "HOST:PORT[,HOST:PORT...]",
            description = "ZooKeeper ensemble connect string.")
    String zookeeper;

    @Option(names = "--cluster", defaultValue = "default", paramLabel = "NAME",
            description = "Cluster name (default: ${DEFAULT-VALUE}).")
    String cluster;

    @Option(names = "--port", defaultValue = "5100", paramLabel = "P", description = "IPC port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind", defaultValue = "0.0.0.0", paramLabel = "ADDRESS",
            description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "File whose first line is the password clients must send (as an engine started with -u).")
    Path passwordFile;

    @Option(names = "--users-file", defaultValue = "${env:RFC_USERS_FILE}", paramLabel = "FILE",
            description = "Clients log in as the users of this file (rfc user add): bcrypt-hashed passwords, roles read-write "
                    + "or read-only; read again when it changes (default: $RFC_USERS_FILE). Not with --password-file.")
    Path usersFile;

    @picocli.CommandLine.Mixin
    MemberSecurityOptions security;

    @Option(names = "--timeout", defaultValue = "60s", paramLabel = "DURATION", converter = NodeCommand.DurationConverter.class,
            description = "Per-query timeout; 0s for none (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--session-timeout", defaultValue = "2s", paramLabel = "DURATION",
            converter = NodeCommand.DurationConverter.class,
            description = "ZooKeeper session timeout: after a crash the gateway's locks go this long later, so readers of "
                    + "a table it was writing recover then (default: ${DEFAULT-VALUE}; the ensemble's tick must allow it).")
    Duration sessionTimeout;

    @Option(names = "--drain-grace", defaultValue = "15s", paramLabel = "DURATION",
            converter = NodeCommand.DurationConverter.class,
            description = "On SIGTERM the gateway stops accepting, finishes the requests it has received and closes each "
                    + "connection when they are answered; what still runs after this long is cut (default: ${DEFAULT-VALUE}).")
    Duration drainGrace;

    @Option(names = "--workers", defaultValue = "32", paramLabel = "N",
            description = "Queries that may run at once (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--max-result", defaultValue = "256M", paramLabel = "SIZE",
            description = "Largest result sent in one frame; larger ones get error limit (default: ${DEFAULT-VALUE}, "
                    + "what Rayforce clients accept).")
    String maxResult;

    @Mixin
    GatewayLimitOptions limits;

    @Option(names = "--slow-query", defaultValue = "1s", paramLabel = "DURATION", converter = NodeCommand.DurationConverter.class,
            description = "Queries taking longer go to the slow-query log ((.cluster.slowlog), the status page, an INFO line); "
                    + "0s for every query (default: ${DEFAULT-VALUE}).")
    Duration slowQuery;

    @Mixin
    MetricsOptions metrics;

    @Option(names = "--compress", defaultValue = "true", negatable = true, fallbackValue = "true",
            description = "Compress replies over 2000 bytes to non-loopback clients, as the engine (default: ${DEFAULT-VALUE}).")
    boolean compress;

    @Override
    public Integer call() throws Exception {
        if (passwordFile != null && usersFile != null) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--password-file and --users-file do not go together: "
                    + "either one password for every client or named users");
        }
        GatewayOptions options = limits.apply(options(passwordFile, timeout, workers, ByteSize.parse(maxResult), compress));
        if (usersFile != null) {
            options = options.withUsersFile(usersFile);
        }
        PrintStream out = System.out;
        ClusterClient client = ClusterClient.connect(zookeeper, cluster, security.security(), sessionTimeout);
        client.queryLog().slowAfter(slowQuery);
        Gateway gateway;
        GatewayEndpoint endpoint = null;
        try {
            if (metrics.port != null) {
                endpoint = GatewayEndpoint.start(metrics.bind, metrics.port, client);
            }
            gateway = new Gateway(client, options).start(bind, port);
        } catch (RuntimeException e) {
            closeAll(endpoint, client);
            throw e;
        }
        GatewayEndpoint http = endpoint;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.drain(drainGrace);
            closeAll(http, client);
            stopped.countDown();
        }, "rfc-gateway-shutdown"));
        if (http != null) {
            http.printReady(out);
        }
        out.println("gateway listening on " + bind + ":" + gateway.port() + " (cluster " + cluster + " at " + zookeeper + ")");
        out.flush();
        stopped.await();
        return 0;
    }

    private static void closeAll(AutoCloseable... parts) {
        for (AutoCloseable p : parts) {
            if (p != null) {
                try {
                    p.close();
                } catch (Exception e) {
                    System.err.println("rfc gateway: stopping " + p + " failed: " + e.getMessage());
                }
            }
        }
    }

    /** The gateway's options from the command line; the password is read from its file. */
    static GatewayOptions options(Path passwordFile, Duration timeout, int workers, long maxResultBytes, boolean compress) {
        GatewayOptions options = GatewayOptions.DEFAULT.withQueryTimeout(timeout).withWorkers(workers)
                .withMaxResultBytes(maxResultBytes).withCompressRemote(compress);
        return passwordFile == null ? options : options.withPassword(readPassword(passwordFile));
    }

    /** The first line of {@code file}, without its line break; never printed. */
    static String readPassword(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CommandLine.ParameterException(new CommandLine(new GatewayCommand()),
                    "cannot read the password file " + file + ": " + e.getMessage());
        }
        String first = text.lines().findFirst().orElse("");
        if (first.isEmpty()) {
            throw new CommandLine.ParameterException(new CommandLine(new GatewayCommand()),
                    "the password file " + file + " is empty: its first line is the password");
        }
        if (first.getBytes(StandardCharsets.UTF_8).length > 253) {
            throw new CommandLine.ParameterException(new CommandLine(new GatewayCommand()),
                    "the password in " + file + " is longer than 253 bytes, more than the handshake can carry");
        }
        return first;
    }
}
