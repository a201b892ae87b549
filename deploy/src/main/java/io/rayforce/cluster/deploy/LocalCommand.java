package io.rayforce.cluster.deploy;

import io.rayforce.cluster.router.gateway.GatewayOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rfc local}: a whole cluster on this machine (embedded ZooKeeper, a coordinator, N nodes,
 * a gateway), until Ctrl-C or SIGTERM; then everything stops and no process is left behind.
 */
@Command(name = "local", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run a one-machine cluster: an embedded ZooKeeper, a coordinator, N nodes (each with its own "
                + "native engine) and a gateway on 127.0.0.1. Prints 'gateway listening on 127.0.0.1:P' when ready; "
                + "runs until Ctrl-C or SIGTERM, then stops everything.")
public final class LocalCommand implements Callable<Integer> {
    @Option(names = "--nodes", defaultValue = "3", paramLabel = "N", description = "Nodes to run (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--replication", defaultValue = "2", paramLabel = "R",
            description = "Replicas per shard the example commands use; at most N (default: ${DEFAULT-VALUE}).")
    int replication;

    @Option(names = "--gateway-port", defaultValue = "5100", paramLabel = "P",
            description = "The gateway's port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int gatewayPort;

    @Option(names = "--gateways", defaultValue = "1", paramLabel = "N",
            description = "Gateways to run, each its own router, on consecutive ports from --gateway-port; clients fail over "
                    + "between them (the Java TCPClient with a list of addresses) (default: ${DEFAULT-VALUE}).")
    int gateways;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Keep ZooKeeper's and the nodes' data here, to find the tables again next time "
                    + "(default: a temporary directory, deleted on exit).")
    Path data;

    @Option(names = "--cores", defaultValue = "0", paramLabel = "N",
            description = "Worker threads per engine (default: the engine's choice).")
    int cores;

    @Option(names = "--timeout", defaultValue = "60s", paramLabel = "DURATION", converter = NodeCommand.DurationConverter.class,
            description = "The gateway's per-query timeout; 0s for none (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Mixin
    GatewayLimitOptions limits;

    @Option(names = "--metrics-port", defaultValue = "9464", paramLabel = "P",
            description = "Serve every member's Prometheus metrics at http://127.0.0.1:P/metrics and the status page at "
                    + "/status; 0 or taken: a free port; -1 for none (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(names = "--slow-query", defaultValue = "1s", paramLabel = "DURATION", converter = NodeCommand.DurationConverter.class,
            description = "Queries taking longer go to the slow-query log ((.cluster.slowlog), the status page); "
                    + "0s for every query (default: ${DEFAULT-VALUE}).")
    Duration slowQuery;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "File whose first line is the password clients must send to the gateway.")
    Path passwordFile;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        GatewayOptions options = limits.apply(GatewayCommand.options(passwordFile, timeout, GatewayOptions.DEFAULT.workers(),
                GatewayOptions.DEFAULT.maxResultBytes(), true));
        LocalCluster cluster = LocalCluster.start(new LocalCluster.Settings(nodes, replication, gatewayPort, data, cores, options,
                gateways));
        cluster.clients().forEach(c -> c.queryLog().slowAfter(slowQuery));
        GatewayEndpoint endpoint;
        try {
            endpoint = metricsPort < 0 ? null : GatewayEndpoint.startOnAnyPort("127.0.0.1", metricsPort, cluster.client());
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (endpoint != null) {
                endpoint.close();
            }
            cluster.close();
            stopped.countDown();
        }, "rfc-local-shutdown"));
        out.println("local cluster '" + cluster.clusterName() + "': " + nodes + " nodes, ZooKeeper at " + cluster.zookeeper()
                + ", data in " + cluster.dataDir());
        out.println("create a table with (.cluster.create 'trades t 'sym " + nodes + " " + replication + ")"
                + " or (.cluster.createReplicated 'dim t); list them with (.cluster.tables)");
        if (endpoint != null) {
            endpoint.printReady(out);
        }
        for (int port : cluster.gatewayPorts()) {
            out.println("gateway listening on 127.0.0.1:" + port);
        }
        out.flush();
        stopped.await();
        return 0;
    }
}
