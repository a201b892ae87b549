package io.rayforce.cluster.chaos.fault;

import io.rayforce.cluster.chaos.cluster.DockerCluster;
import io.rayforce.cluster.chaos.cluster.Role;
import java.util.List;
import java.util.Optional;

/** Faults of the control plane: ZooKeeper members, the leader coordinator, and the gateways. */
final class ControlPlaneFaults {
    private ControlPlaneFaults() {
    }

    /** kill -9 of one ZooKeeper member (a follower, or the leader of that moment); the ensemble keeps its quorum. */
    static final class KillZooKeeper implements Fault {
        private final boolean leader;
        private String target;

        KillZooKeeper(boolean leader) {
            this.leader = leader;
        }

        public String name() {
            return leader ? "kill-zookeeper-leader" : "kill-zookeeper-member";
        }

        public String description() {
            return "kill -9 the ZooKeeper " + (leader ? "leader" : "follower") + (target == null ? "" : " (" + target + ")")
                    + ", then start it again";
        }

        public void inject(DockerCluster c) {
            String lead = c.zooKeeperLeader();
            if (leader) {
                if (lead == null) {
                    throw new IllegalStateException("no ZooKeeper member says it leads");
                }
                target = lead;
            } else {
                List<String> followers = c.members(Role.ZOOKEEPER).stream().filter(m -> !m.equals(lead)).toList();
                target = followers.get(followers.size() - 1);
            }
            c.kill(target);
        }

        public Optional<String> notInForce(DockerCluster c) {
            return c.running(target) ? Optional.of(target + " still runs") : Optional.empty();
        }

        public void heal(DockerCluster c) {
            if (target != null) {
                c.startAgain(target);
            }
        }
    }

    /** kill -9 of the coordinator that holds the leader latch; the other one must take over. */
    static final class KillLeaderCoordinator implements Fault {
        private String target;

        public String name() {
            return "kill-leader-coordinator";
        }

        public String description() {
            return "kill -9 the leader coordinator" + (target == null ? "" : " (" + target + ")") + ", then start it again";
        }

        public void inject(DockerCluster c) {
            target = CoordinatorLeader.find(c);
            c.kill(target);
        }

        public Optional<String> notInForce(DockerCluster c) {
            return c.running(target) ? Optional.of(target + " still runs") : Optional.empty();
        }

        public void heal(DockerCluster c) {
            if (target != null) {
                c.startAgain(target);
            }
        }
    }

    /**
     * kill -9 of the first gateway (every Java client starts on it; HAProxy sends rayforce-py
     * either way), held down for the fault window, then started again. As router-crash it first
     * cuts the gateway off from the nodes' engines for a moment, so that the writes it has begun
     * hang after recording their intents: it dies in the middle of them, holding their write
     * locks, and the readers of their tables must wait for its session to end and recover them.
     */
    static final class KillGateway implements Fault {
        /** How long the gateway's writes are held in flight before it is killed. */
        private static final long HOLD_MILLIS = 1500;
        private final boolean midWrite;
        private String target;

        KillGateway(boolean midWrite) {
            this.midWrite = midWrite;
        }

        public String name() {
            return midWrite ? "router-crash" : "kill-gateway";
        }

        public String description() {
            String who = target == null ? "a gateway" : target;
            return midWrite ? "cut " + who + " off from the nodes' engines for " + HOLD_MILLIS + " ms (its writes hang after "
                    + "their intents are recorded), then kill -9 it while it writes; start it again after the fault window"
                    : "kill -9 " + who + " (docker kill) during traffic; start it again after the fault window";
        }

        public void inject(DockerCluster c) {
            target = c.members(Role.GATEWAY).get(0);
            if (midWrite) {
                Iptables.dropPeers(c, target, c.members(Role.NODE).stream().map(c::ipAddress).toList(), "chaos-router-crash");
                try {
                    Thread.sleep(HOLD_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            c.kill(target);
        }

        public Optional<String> notInForce(DockerCluster c) {
            return c.running(target) ? Optional.of(target + " still runs") : Optional.empty();
        }

        public void heal(DockerCluster c) {
            if (target != null) {
                c.startAgain(target); // a new network namespace: the rules of router-crash are gone with the old one
            }
        }
    }

    /** {@code docker restart} of the first gateway (SIGTERM: it drains, then starts) while clients are connected. */
    static final class RestartGateway implements Fault {
        public String name() {
            return "restart-gateway";
        }

        public String description() {
            return "docker restart the gateway (SIGTERM, then start) during traffic";
        }

        private String startedBefore;

        public void inject(DockerCluster c) {
            String gateway = c.members(Role.GATEWAY).get(0);
            startedBefore = c.startedAt(gateway);
            c.restart(gateway);
        }

        public Optional<String> notInForce(DockerCluster c) {
            String now = c.startedAt(c.members(Role.GATEWAY).get(0));
            return now.equals(startedBefore) ? Optional.of("the gateway was not restarted (started at " + now + ")") : Optional.empty();
        }

        public void heal(DockerCluster c) {
            // it restarted by itself
        }

        public boolean instantaneous() {
            return true;
        }
    }
}
