package io.rayforce.cluster.chaos.fault;

import io.rayforce.cluster.chaos.cluster.DockerCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Topology changes made while the workload runs, each checked like any fault: a node joins and
 * the leader rebalances onto it by itself; a node is drained; a node is lost and its replicas are
 * repaired elsewhere; the replication factor of every sharded table changes; every sharded table
 * is split into twice as many shards. Each waits, while it is injected, for the change to be
 * carried out (the placement read through the gateway), so the run checks reads and writes that
 * overlapped the whole change; none is then held for the profile's fault window as well
 * ({@link Fault#instantaneous}): the change's own length is the fault's.
 */
public final class TopologyFaults {
    /** How long one change may take (a reshard of the medium profile's million rows included). */
    static final Duration CHANGE_LIMIT = Duration.ofMinutes(4);

    private TopologyFaults() {
    }

    /** The topology faults; node faults hit {@code node}. */
    public static List<Faults.Kind> all(String node) {
        return List.of(
                new Faults.Kind("join-node-rebalance", JoinNode::new),
                new Faults.Kind("drain-node", () -> new DrainNode(node)),
                new Faults.Kind("lose-node-repair", () -> new LoseNode(node)),
                new Faults.Kind("set-replication", SetReplication::new),
                new Faults.Kind("reshard", Reshard::new));
    }

    /** A new node container joins; the leader moves replicas onto it by itself. Healed by draining it and removing it. */
    static final class JoinNode implements Fault {
        private String joined;

        public String name() {
            return "join-node-rebalance";
        }

        public String description() {
            return "start a new node" + (joined == null ? "" : " (" + joined + ")") + " and let the leader rebalance onto it by "
                    + "itself; then drain it and remove it";
        }

        public void inject(DockerCluster c) {
            joined = c.addNode(CHANGE_LIMIT);
            ClusterAdmin.awaitLayouts(c, CHANGE_LIMIT, "the automatic rebalance onto " + joined,
                    l -> l.settled("") && (l.shards() * l.replication() < 4 || l.holds(joined)));
        }

        public Optional<String> notInForce(DockerCluster c) {
            return ClusterAdmin.shardedTables(c).stream().anyMatch(t -> ClusterAdmin.layout(c, t).holds(joined)) ? Optional.empty()
                    : Optional.of(joined + " holds no replica");
        }

        public boolean instantaneous() {
            return true;
        }

        public void heal(DockerCluster c) {
            if (joined != null) {
                ClusterAdmin.rfc(c, CHANGE_LIMIT, "node", "drain", joined, "--wait");
                c.remove(joined);
            }
        }
    }

    /** {@code rfc node drain} of a node while clients read and write; healed by undraining it (the leader rebalances back). */
    static final class DrainNode implements Fault {
        private final String node;

        DrainNode(String node) {
            this.node = node;
        }

        public String name() {
            return "drain-node";
        }

        public String description() {
            return "rfc node drain " + node + " until it holds nothing; then undrain it (it exits when drained and is started "
                    + "again; the leader rebalances onto it)";
        }

        public void inject(DockerCluster c) {
            ClusterAdmin.rfc(c, CHANGE_LIMIT, "node", "drain", node);
            ClusterAdmin.awaitLayouts(c, CHANGE_LIMIT, "the drain of " + node, l -> l.settled(node));
        }

        public Optional<String> notInForce(DockerCluster c) {
            return ClusterAdmin.shardedTables(c).stream().anyMatch(t -> ClusterAdmin.layout(c, t).holds(node))
                    ? Optional.of(node + " still holds replicas") : Optional.empty();
        }

        public boolean instantaneous() {
            return true;
        }

        public void heal(DockerCluster c) {
            ClusterAdmin.rfc(c, CHANGE_LIMIT, "node", "drain", node, "--undrain");
            if (!c.running(node)) {
                c.startAgain(node); // a drained node agent leaves the cluster and exits
            }
            ClusterAdmin.awaitLayouts(c, CHANGE_LIMIT, "the rebalance back onto " + node,
                    l -> l.settled("") && (l.shards() * l.replication() < 4 || l.holds(node)));
        }
    }

    /** kill -9 of a node kept down until the leader repaired every replica it held; healed by starting it again. */
    static final class LoseNode implements Fault {
        private final String node;

        LoseNode(String node) {
            this.node = node;
        }

        public String name() {
            return "lose-node-repair";
        }

        public String description() {
            return "kill -9 " + node + " and keep it down until its replicas are re-created on the other nodes (after the repair "
                    + "grace); then start it again (its stale shards are dropped and the leader rebalances onto it)";
        }

        public void inject(DockerCluster c) {
            c.kill(node);
            ClusterAdmin.awaitLayouts(c, CHANGE_LIMIT, "the repair of " + node + "'s replicas", l -> l.settled(node));
        }

        public Optional<String> notInForce(DockerCluster c) {
            return c.running(node) ? Optional.of(node + " still runs") : Optional.empty();
        }

        public boolean instantaneous() {
            return true;
        }

        public void heal(DockerCluster c) {
            c.startAgain(node);
        }
    }

    /** The replication factor of every sharded table raised by one, then set back. */
    static final class SetReplication implements Fault {
        private final List<String> tables = new ArrayList<>();
        private int from;

        public String name() {
            return "set-replication";
        }

        public String description() {
            return "rfc table set-replication of every sharded table " + tables + " from " + from + " to " + (from + 1)
                    + ", then back";
        }

        public void inject(DockerCluster c) {
            tables.addAll(ClusterAdmin.shardedTables(c));
            from = ClusterAdmin.layout(c, tables.get(0)).replication();
            for (String t : tables) {
                ClusterAdmin.rfc(c, CHANGE_LIMIT, "table", "set-replication", t, String.valueOf(from + 1), "--wait");
            }
        }

        public Optional<String> notInForce(DockerCluster c) {
            for (String t : tables) {
                ClusterAdmin.Layout l = ClusterAdmin.layout(c, t);
                if (l.replication() != from + 1 || !l.settled("")) {
                    return Optional.of(t + " has not " + (from + 1) + " LIVE replicas per shard: " + l);
                }
            }
            return Optional.empty();
        }

        public boolean instantaneous() {
            return true;
        }

        public void heal(DockerCluster c) {
            for (String t : tables) {
                ClusterAdmin.rfc(c, CHANGE_LIMIT, "table", "set-replication", t, String.valueOf(from), "--wait");
            }
        }
    }

    /** Every sharded table split into twice as many shards (not undone: the later runs use the new layout). */
    static final class Reshard implements Fault {
        private final List<String> done = new ArrayList<>();

        public String name() {
            return "reshard";
        }

        public String description() {
            return "rfc table reshard of every sharded table to twice its shards" + (done.isEmpty() ? "" : " (" + String.join("; ", done) + ")");
        }

        public void inject(DockerCluster c) {
            for (String t : ClusterAdmin.shardedTables(c)) {
                int shards = ClusterAdmin.layout(c, t).shards();
                String out = ClusterAdmin.rfc(c, CHANGE_LIMIT, "table", "reshard", t, "--shards", String.valueOf(2 * shards));
                done.add(out.strip());
            }
        }

        public Optional<String> notInForce(DockerCluster c) {
            return done.isEmpty() ? Optional.of("no table was resharded") : Optional.empty();
        }

        public boolean instantaneous() {
            return true;
        }

        public void heal(DockerCluster c) {
            // a split is kept
        }
    }
}
