package io.rayforce.cluster.node;

import io.rayforce.cluster.coordinator.security.ClusterSecurity;
import io.rayforce.cluster.coordinator.store.ClusterConnection;
import io.rayforce.cluster.node.engine.SupervisorSettings;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything a {@link NodeAgent} needs: where ZooKeeper is and which cluster to join, who the node
 * is and how others reach it, its ports and data directory, and how it supervises its engine.
 *
 * @param zookeeper       ZooKeeper connect string, e.g. {@code zk1:2181,zk2:2181}
 * @param cluster         cluster name (the ZooKeeper namespace {@code rayforce-cluster/<cluster>})
 * @param nodeId          the node's id, or null to use the one stored in the data directory (or a new one)
 * @param host            the address other members use to reach the node (IPC and gRPC)
 * @param ipcPort         the engine's IPC port, 0 to pick a free one
 * @param controlPort     the agent's gRPC port, 0 to pick a free one
 * @param controlBind     the address the gRPC server binds ({@code 0.0.0.0} for all)
 * @param dataDir         the node's data directory (journal, snapshot, node id)
 * @param capacityBytes   RAM the node offers for table data, 0 for 75% of the host's memory
 * @param cores           engine worker threads ({@code -c}), 0 for the engine's default
 * @param sessionTimeout  the ZooKeeper session timeout: how long after a crash or partition the node leaves membership
 * @param supervisor      engine health checks, restarts and snapshots
 * @param copyPageBytes   the serialized size a shard copy page aims at
 * @param lockTimeout     how long a shard copy waits for the shard's write lock
 * @param engineBinary    the engine executable, or null for the project's
 * @param engineBind      the address the engine listens on: null for {@code host} (the address the
 *                        cluster uses), {@code *} or {@code 0.0.0.0} for every interface
 * @param security        the cluster secret (ZooKeeper ACLs, engine passwords, member tokens) and
 *                        gRPC TLS; {@link ClusterSecurity#NONE} for none
 */
public record NodeConfig(String zookeeper, String cluster, String nodeId, String host, int ipcPort, int controlPort,
                         String controlBind, Path dataDir, long capacityBytes, int cores, Duration sessionTimeout,
                         SupervisorSettings supervisor, long copyPageBytes, Duration lockTimeout, Path engineBinary,
                         String engineBind, ClusterSecurity security) {

    public NodeConfig {
        security = security == null ? ClusterSecurity.NONE : security;
        Objects.requireNonNull(zookeeper, "zookeeper");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(supervisor, "supervisor");
        checkPort("IPC", ipcPort);
        checkPort("control", controlPort);
        if (capacityBytes < 0) {
            throw new IllegalArgumentException("capacity must not be negative, got " + capacityBytes);
        }
        if (cores < 0 || cores > 1023) {
            throw new IllegalArgumentException("cores must be 0..1023, got " + cores);
        }
    }

    private static void checkPort(String what, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(what + " port must be 0..65535, got " + port);
        }
    }

    /**
     * The address the engine binds, or null for every interface: {@code engineBind} when set
     * (but {@code *} and {@code 0.0.0.0} mean every interface), else {@code host}.
     */
    public String engineBindAddress() {
        String b = engineBind == null || engineBind.isBlank() ? host : engineBind.strip();
        return b.equals("*") || b.equals("0.0.0.0") ? null : b;
    }

    /** A node on this host with default settings and free ports. */
    public static Builder builder(String zookeeper, String cluster, Path dataDir) {
        return new Builder(zookeeper, cluster, dataDir);
    }

    /** The capacity to advertise: the configured one, or 75% of the host's physical memory. */
    public long effectiveCapacity() {
        if (capacityBytes > 0) {
            return capacityBytes;
        }
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getTotalMemorySize() / 4 * 3;
        }
        return Runtime.getRuntime().maxMemory();
    }

    /** Fills a {@link NodeConfig}. */
    public static final class Builder {
        private final String zookeeper;
        private final String cluster;
        private final Path dataDir;
        private String nodeId;
        private String host = "127.0.0.1";
        private int ipcPort;
        private int controlPort;
        private String controlBind = "0.0.0.0";
        private long capacityBytes;
        private int cores;
        private Duration sessionTimeout = ClusterConnection.DEFAULT_SESSION_TIMEOUT;
        private SupervisorSettings supervisor = SupervisorSettings.DEFAULTS;
        private long copyPageBytes = 64L * 1024 * 1024;
        private Duration lockTimeout = Duration.ofSeconds(60);
        private Path engineBinary;
        private String engineBind;
        private ClusterSecurity security = ClusterSecurity.NONE;

        private Builder(String zookeeper, String cluster, Path dataDir) {
            this.zookeeper = zookeeper;
            this.cluster = cluster;
            this.dataDir = dataDir;
        }

        public Builder nodeId(String id) {
            this.nodeId = id;
            return this;
        }

        public Builder host(String advertisedHost) {
            this.host = advertisedHost;
            return this;
        }

        public Builder ipcPort(int port) {
            this.ipcPort = port;
            return this;
        }

        public Builder controlPort(int port) {
            this.controlPort = port;
            return this;
        }

        public Builder controlBind(String address) {
            this.controlBind = address;
            return this;
        }

        public Builder capacityBytes(long bytes) {
            this.capacityBytes = bytes;
            return this;
        }

        public Builder cores(int n) {
            this.cores = n;
            return this;
        }

        public Builder sessionTimeout(Duration timeout) {
            this.sessionTimeout = timeout;
            return this;
        }

        public Builder supervisor(SupervisorSettings settings) {
            this.supervisor = settings;
            return this;
        }

        public Builder copyPageBytes(long bytes) {
            this.copyPageBytes = bytes;
            return this;
        }

        public Builder lockTimeout(Duration timeout) {
            this.lockTimeout = timeout;
            return this;
        }

        public Builder engineBinary(Path binary) {
            this.engineBinary = binary;
            return this;
        }

        /** The engine's listening address (default: the advertised host; {@code *} for every interface). */
        public Builder engineBind(String address) {
            this.engineBind = address;
            return this;
        }

        /** The cluster secret and gRPC TLS (docs/security.md). */
        public Builder security(ClusterSecurity value) {
            this.security = value;
            return this;
        }

        public NodeConfig build() {
            return new NodeConfig(zookeeper, cluster, nodeId, host, ipcPort, controlPort, controlBind, dataDir, capacityBytes,
                    cores, sessionTimeout, supervisor, copyPageBytes, lockTimeout, engineBinary, engineBind, security);
        }
    }
}
