package io.rayforce.cluster.chaos.fault;

import io.rayforce.cluster.chaos.cluster.DockerCluster;
import io.rayforce.cluster.chaos.cluster.Role;
import java.util.List;

/** Faults of the control plane: ZooKeeper members, the leader coordinator, and the gateway. */
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

        public void heal(DockerCluster c) {
            c.startAgain(target);
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

        public void heal(DockerCluster c) {
            c.startAgain(target);
        }
    }

    /** {@code docker restart} of the gateway (SIGTERM, then start) while clients are connected. */
    static final class RestartGateway implements Fault {
        public String name() {
            return "restart-gateway";
        }

        public String description() {
            return "docker restart the gateway (SIGTERM, then start) during traffic";
        }

        public void inject(DockerCluster c) {
            c.restart(c.members(Role.GATEWAY).get(0));
        }

        public void heal(DockerCluster c) {
            // it restarted by itself
        }

        public boolean instantaneous() {
            return true;
        }
    }
}
