package io.rayforce.cluster.chaos.fault;

import io.rayforce.cluster.chaos.cluster.DockerCluster;
import io.rayforce.cluster.chaos.cluster.Role;
import io.rayforce.cluster.chaos.cluster.RoleCommands;
import java.util.List;
import java.util.Optional;

/** Faults of one node container: kill -9, pause, partitions, and slow or lossy links. */
final class NodeFaults {
    private NodeFaults() {
    }

    /** {@code docker kill -s KILL} of a node (agent and engine die at once); healed by starting it again on its data. */
    static final class KillNode implements Fault {
        private final String node;

        KillNode(String node) {
            this.node = node;
        }

        public String name() {
            return "kill-node";
        }

        public String description() {
            return "kill -9 " + node + " (agent and engine), then start it again on its data volume";
        }

        public void inject(DockerCluster c) {
            c.kill(node);
        }

        public Optional<String> notInForce(DockerCluster c) {
            return c.running(node) ? Optional.of(node + " still runs") : Optional.empty();
        }

        public void heal(DockerCluster c) {
            c.startAgain(node);
        }
    }

    /** {@code docker pause} of a node for longer than its ZooKeeper session, then resume. */
    static final class PauseNode implements Fault {
        private final String node;

        PauseNode(String node) {
            this.node = node;
        }

        public String name() {
            return "pause-node";
        }

        public String description() {
            return "docker pause " + node + " (every process stopped, as SIGSTOP) beyond its ZooKeeper session, then unpause";
        }

        public void inject(DockerCluster c) {
            c.pause(node);
        }

        public Optional<String> notInForce(DockerCluster c) {
            return c.paused(node) ? Optional.empty() : Optional.of(node + " is not paused");
        }

        public void heal(DockerCluster c) {
            c.unpause(node);
        }
    }

    /** iptables inside a node: no packets to or from a set of peers (ZooKeeper, the gateway, or everything). */
    static final class Partition implements Fault {
        enum From { ZOOKEEPER, GATEWAY, EVERYTHING }

        private final String node;
        private final From from;

        Partition(String node, From from) {
            this.node = node;
            this.from = from;
        }

        public String name() {
            return switch (from) {
                case ZOOKEEPER -> "partition-node-zookeeper";
                case GATEWAY -> "partition-node-gateway";
                case EVERYTHING -> "partition-node-all";
            };
        }

        public String description() {
            return switch (from) {
                case ZOOKEEPER -> node + " cut off from every ZooKeeper member (iptables DROP both ways); the gateway still reaches it";
                case GATEWAY -> node + " cut off from the gateways only (iptables DROP both ways); ZooKeeper still sees it";
                case EVERYTHING -> node + " cut off from every other container (iptables DROP on eth0)";
            };
        }

        private String tag() {
            return "chaos-" + name();
        }

        public void inject(DockerCluster c) {
            switch (from) {
                case ZOOKEEPER -> Iptables.dropPeers(c, node, c.members(Role.ZOOKEEPER).stream().map(c::ipAddress).toList(), tag());
                case GATEWAY -> Iptables.dropPeers(c, node, c.members(Role.GATEWAY).stream().map(c::ipAddress).toList(), tag());
                case EVERYTHING -> Iptables.dropAll(c, node, tag());
            }
        }

        public Optional<String> notInForce(DockerCluster c) {
            String peer = switch (from) {
                case ZOOKEEPER, EVERYTHING -> c.ipAddress(c.members(Role.ZOOKEEPER).get(0)) + "/" + RoleCommands.ZK_CLIENT_PORT;
                case GATEWAY -> c.ipAddress(c.members(Role.GATEWAY).get(0)) + "/" + RoleCommands.GATEWAY_PORT;
            };
            return Iptables.reaches(c, node, peer) ? Optional.of(node + " still reaches " + peer) : Optional.empty();
        }

        public void heal(DockerCluster c) {
            Iptables.remove(c, node, tag());
        }
    }

    /** tc tbf inside a node: its outgoing traffic limited to a slow rate with a deep queue (added latency). */
    static final class SlowLink implements Fault {
        private final String node;

        SlowLink(String node) {
            this.node = node;
        }

        public String name() {
            return "slow-link";
        }

        public String description() {
            return node + "'s outgoing link limited to 512 kbit/s with up to 1 s of queueing (tc tbf)";
        }

        public void inject(DockerCluster c) {
            c.asRoot(node, "tc qdisc replace dev eth0 root tbf rate 512kbit burst 16kbit latency 1000ms");
        }

        public Optional<String> notInForce(DockerCluster c) {
            String q = c.asRoot(node, "tc qdisc show dev eth0");
            return q.contains("tbf") ? Optional.empty() : Optional.of("no tbf queue on " + node + ": " + q.strip());
        }

        public void heal(DockerCluster c) {
            c.asRoot(node, "tc qdisc del dev eth0 root 2>/dev/null || true");
        }
    }

    /** iptables statistic inside a node: a share of its packets dropped both ways (TCP retransmits, stalls). */
    static final class LossyLink implements Fault {
        private final String node;
        private final double loss;

        LossyLink(String node, double loss) {
            this.node = node;
            this.loss = loss;
        }

        public String name() {
            return "lossy-link";
        }

        public String description() {
            return node + " loses " + Math.round(loss * 100) + "% of its packets both ways (iptables statistic)";
        }

        public void inject(DockerCluster c) {
            Iptables.dropRandom(c, node, loss, "chaos-lossy-link");
        }

        public Optional<String> notInForce(DockerCluster c) {
            String rules = c.asRoot(node, "iptables-save");
            return rules.contains("statistic") && rules.contains("chaos-lossy-link") ? Optional.empty()
                    : Optional.of("no random-drop rule on " + node);
        }

        public void heal(DockerCluster c) {
            Iptables.remove(c, node, "chaos-lossy-link");
        }
    }
}
