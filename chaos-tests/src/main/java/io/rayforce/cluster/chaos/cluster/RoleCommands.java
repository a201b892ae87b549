package io.rayforce.cluster.chaos.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The command line and environment of each role's container (the image's entrypoint runs
 * {@code rfc ROLE ...}, or ZooKeeper for {@code zookeeper}). Every member advertises its network
 * alias (its container name on the private network), never loopback. Ports are fixed inside the
 * containers: ZooKeeper 2181, coordinators 5300, node engines 5100 and node control 5200, the
 * gateways and HAProxy 5000.
 */
public final class RoleCommands {
    public static final int ZK_CLIENT_PORT = 2181;
    public static final int COORDINATOR_PORT = 5300;
    public static final int NODE_IPC_PORT = 5100;
    public static final int NODE_CONTROL_PORT = 5200;
    public static final int GATEWAY_PORT = 5000;

    private final ClusterSpec spec;

    public RoleCommands(ClusterSpec spec) {
        this.spec = spec;
    }

    /** The network alias of member {@code i} (1-based) of a role: zk1, coord1, node1, gateway1, lb. */
    public static String alias(Role role, int i) {
        return switch (role) {
            case ZOOKEEPER -> "zk" + i;
            case COORDINATOR -> "coord" + i;
            case NODE -> "node" + i;
            case GATEWAY -> "gateway" + i;
            case LOAD_BALANCER -> "lb";
        };
    }

    /** The gateways' addresses on the private network, for HAProxy. */
    public String gatewayAddresses() {
        List<String> parts = new ArrayList<>();
        for (int i = 1; i <= spec.gateways(); i++) {
            parts.add(alias(Role.GATEWAY, i) + ":" + GATEWAY_PORT);
        }
        return String.join(",", parts);
    }

    /** The ZooKeeper connect string every role is given. */
    public String zooKeeperConnect() {
        List<String> parts = new ArrayList<>();
        for (int i = 1; i <= spec.zooKeepers(); i++) {
            parts.add(alias(Role.ZOOKEEPER, i) + ":" + ZK_CLIENT_PORT);
        }
        return String.join(",", parts);
    }

    /** The coordinators' gRPC addresses. */
    public String coordinatorAddresses() {
        List<String> parts = new ArrayList<>();
        for (int i = 1; i <= spec.coordinators(); i++) {
            parts.add(alias(Role.COORDINATOR, i) + ":" + COORDINATOR_PORT);
        }
        return String.join(",", parts);
    }

    public List<String> command(Role role, int i) {
        String alias = alias(role, i);
        long sessionSeconds = Math.max(4, spec.sessionTimeout().toSeconds());
        return switch (role) {
            case ZOOKEEPER -> List.of("zookeeper");
            case COORDINATOR -> List.of("coordinator", "--zookeeper", zooKeeperConnect(), "--cluster", spec.clusterName(),
                    "--host", alias, "--port", String.valueOf(COORDINATOR_PORT),
                    "--session-timeout", sessionSeconds + "s", "--repair-grace", "10s");
            case NODE -> List.of("node", "--zookeeper", zooKeeperConnect(), "--cluster", spec.clusterName(),
                    "--id", alias, "--host", alias, "--ipc-port", String.valueOf(NODE_IPC_PORT),
                    "--control-port", String.valueOf(NODE_CONTROL_PORT), "--data", "/var/lib/rfc/node",
                    "--capacity", "2G", "--session-timeout", sessionSeconds + "s");
            case GATEWAY -> List.of("gateway", "--zookeeper", zooKeeperConnect(), "--cluster", spec.clusterName(),
                    "--port", String.valueOf(GATEWAY_PORT), "--timeout", "30s");
            case LOAD_BALANCER -> List.of("haproxy");
        };
    }

    public Map<String, String> environment(Role role, int i) {
        if (role == Role.ZOOKEEPER) {
            List<String> servers = new ArrayList<>();
            for (int k = 1; k <= spec.zooKeepers(); k++) {
                servers.add(alias(Role.ZOOKEEPER, k) + ":2888:3888");
            }
            return Map.of("ZK_MY_ID", String.valueOf(i), "ZK_SERVERS", spec.zooKeepers() > 1 ? String.join(",", servers) : "",
                    "ZK_JAVA_OPTS", "-Xmx192m");
        }
        if (role == Role.LOAD_BALANCER) {
            return Map.of("RFC_LB_GATEWAYS", gatewayAddresses(), "RFC_LB_PORT", String.valueOf(GATEWAY_PORT));
        }
        return Map.of("RFC_JAVA_OPTS", "-XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -Xmx" + (role == Role.NODE ? "384m" : "512m"));
    }
}
