package io.rayforce.cluster.deploy;

import io.rayforce.cluster.coordinator.metrics.MetricsEndpoint;
import io.rayforce.cluster.node.ByteSize;
import io.rayforce.cluster.node.NodeAgent;
import io.rayforce.cluster.node.NodeConfig;
import io.rayforce.cluster.node.engine.SupervisorSettings;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rfc node}: runs a node agent (one native engine under supervision) until SIGTERM or Ctrl-C. */
@Command(name = "node", mixinStandardHelpOptions = true, sortOptions = false,
        subcommands = {NodeDrainCommand.class},
        description = "Run a cluster node: one native Rayforce engine under supervision, registered in ZooKeeper, "
                + "serving the node control plane (gRPC). Runs until SIGTERM or Ctrl-C, then leaves the cluster and stops "
                + "its engine. Data is journaled in --data and survives restarts. --zookeeper and --data are required.")
public final class NodeCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--zookeeper", paramLabel = "HOST:PORT[,HOST:PORT...]",
            description = "ZooKeeper ensemble connect string.")
    String zookeeper;

    @Option(names = "--cluster", defaultValue = "default", paramLabel = "NAME",
            description = "Cluster name (default: ${DEFAULT-VALUE}).")
    String cluster;

    @Option(names = "--id", paramLabel = "ID",
            description = "Node id (default: the one stored in --data, or a new node-xxxxxxxx).")
    String id;

    @Option(names = "--host", paramLabel = "ADVERTISED_HOST",
            description = "Address other members use to reach this node (default: this host's name).")
    String host;

    @Option(names = "--ipc-port", defaultValue = "0", paramLabel = "P",
            description = "The engine's IPC port (default: a free port).")
    int ipcPort;

    @Option(names = "--control-port", defaultValue = "0", paramLabel = "P",
            description = "The node's gRPC control port (default: a free port).")
    int controlPort;

    @Option(names = "--control-bind", defaultValue = "0.0.0.0", paramLabel = "ADDRESS",
            description = "Address the gRPC server binds (default: ${DEFAULT-VALUE}).")
    String controlBind;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Data directory: the engine journal and snapshot, and the node id.")
    Path data;

    @Option(names = "--capacity", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "RAM offered for table data, e.g. 4G (default: 75%% of the host's memory).")
    Long capacity;

    @Option(names = "--cores", defaultValue = "0", paramLabel = "N",
            description = "Engine worker threads (default: the engine's choice).")
    int cores;

    @Option(names = "--session-timeout", defaultValue = "15s", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "ZooKeeper session timeout: how soon a dead node leaves membership (default: ${DEFAULT-VALUE}).")
    Duration sessionTimeout;

    @Option(names = "--hung-after", defaultValue = "60s", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Restart an engine that answers nothing for this long (default: ${DEFAULT-VALUE}); "
                    + "must exceed the longest query.")
    Duration hungAfter;

    @Option(names = "--snapshot-interval", defaultValue = "10m", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Snapshot the engine at least this often (default: ${DEFAULT-VALUE}).")
    Duration snapshotInterval;

    @Option(names = "--snapshot-journal", defaultValue = "256M", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Snapshot as soon as the journal grows past this size (default: ${DEFAULT-VALUE}).")
    long snapshotJournal;

    @Option(names = "--journal-roll", defaultValue = "4M", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Roll the engine's journal past this size and keep only its writes (default: ${DEFAULT-VALUE}).")
    long journalRoll;

    @Option(names = "--lock-timeout", defaultValue = "60s", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long a shard copy waits for the shard's write lock (default: ${DEFAULT-VALUE}).")
    Duration lockTimeout;

    @Option(names = "--fsync", description = "Journal with fsync on every write (engine -L): survives power loss, slower.")
    boolean fsync;

    @Option(names = "--engine-bind", paramLabel = "ADDRESS",
            description = "Address the engine listens on (default: the address of --host, the one the cluster uses; "
                    + "* for every interface).")
    String engineBind;

    @CommandLine.Mixin
    MemberSecurityOptions security;

    @CommandLine.Mixin
    MetricsOptions metrics;

    @Option(names = "--exit-when-drained", defaultValue = "true", negatable = true, fallbackValue = "true",
            description = "Leave and exit once a drain has moved every replica off the node (default: ${DEFAULT-VALUE}).")
    boolean exitWhenDrained;

    @Override
    public Integer call() throws Exception {
        if (zookeeper == null || data == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing required option"
                    + (zookeeper == null && data == null ? "s: --zookeeper, --data" : zookeeper == null ? ": --zookeeper" : ": --data"));
        }
        PrintStream out = System.out;
        SupervisorSettings settings = SupervisorSettings.DEFAULTS
                .withHealth(SupervisorSettings.DEFAULTS.healthInterval(), SupervisorSettings.DEFAULTS.probeTimeout(), hungAfter)
                .withSnapshots(snapshotInterval, snapshotJournal)
                .withJournalRoll(journalRoll)
                .withFsyncJournal(fsync);
        NodeConfig config = NodeConfig.builder(zookeeper, cluster, data)
                .nodeId(id).host(host != null ? host : localHostName())
                .ipcPort(ipcPort).controlPort(controlPort).controlBind(controlBind)
                .capacityBytes(capacity == null ? 0 : capacity).cores(cores)
                .sessionTimeout(sessionTimeout).supervisor(settings).lockTimeout(lockTimeout)
                .engineBind(engineBind).security(security.security())
                .build();
        MetricsEndpoint endpoint = metrics.start();
        NodeAgent agent;
        try {
            agent = NodeAgent.start(config);
        } catch (RuntimeException e) {
            if (endpoint != null) {
                endpoint.close();
            }
            throw e;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            agent.close();
            if (endpoint != null) {
                endpoint.close();
            }
            stop.countDown();
        }, "rfc-node-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        if (endpoint != null) {
            out.println("metrics on " + endpoint.url());
        }
        out.println("node " + agent.nodeId() + " running in cluster " + cluster + ": IPC " + config.host() + ":" + agent.ipcPort()
                + ", control " + config.host() + ":" + agent.controlPort() + ", data " + data.toAbsolutePath());
        out.flush();
        if (exitWhenDrained) {
            agent.whenDrained().thenRun(stop::countDown);
        }
        stop.await();
        if (agent.drained()) {
            out.println("node " + agent.nodeId() + " is drained: leaving the cluster");
            Runtime.getRuntime().removeShutdownHook(hook);
            agent.close();
            if (endpoint != null) {
                endpoint.close();
            }
        }
        return 0;
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            return "127.0.0.1";
        }
    }

    /** Sizes as {@code 4G}, {@code 512M} or a byte count ({@link ByteSize}). */
    static final class SizeConverter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return ByteSize.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** Durations as {@code 500ms}, {@code 15s}, {@code 10m}, {@code 1h}, or ISO-8601 ({@code PT15S}). */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

        @Override
        public Duration convert(String value) {
            Matcher m = SHORT.matcher(value.strip().toLowerCase(Locale.ROOT));
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
            }
            try {
                return Duration.parse(value);
            } catch (RuntimeException e) {
                throw new CommandLine.TypeConversionException("invalid duration '" + value + "': use e.g. 500ms, 15s, 10m or 1h");
            }
        }
    }
}
