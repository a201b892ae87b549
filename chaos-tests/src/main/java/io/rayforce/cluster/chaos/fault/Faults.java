package io.rayforce.cluster.chaos.fault;

import io.rayforce.cluster.chaos.cluster.DockerCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** The catalogue of faults, each made fresh per run (they remember their targets). */
public final class Faults {
    private Faults() {
    }

    /** A named way to make a fault. */
    public record Kind(String name, Supplier<Fault> make) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Every single fault of the suite, the topology changes last; node faults hit {@code node}. */
    public static List<Kind> all(String node) {
        List<Kind> all = new ArrayList<>(single(node));
        all.addAll(TopologyFaults.all(node));
        return List.copyOf(all);
    }

    private static List<Kind> single(String node) {
        return List.of(
                new Kind("kill-node", () -> new NodeFaults.KillNode(node)),
                new Kind("pause-node", () -> new NodeFaults.PauseNode(node)),
                new Kind("partition-node-zookeeper", () -> new NodeFaults.Partition(node, NodeFaults.Partition.From.ZOOKEEPER)),
                new Kind("partition-node-gateway", () -> new NodeFaults.Partition(node, NodeFaults.Partition.From.GATEWAY)),
                new Kind("partition-node-all", () -> new NodeFaults.Partition(node, NodeFaults.Partition.From.EVERYTHING)),
                new Kind("slow-link", () -> new NodeFaults.SlowLink(node)),
                new Kind("lossy-link", () -> new NodeFaults.LossyLink(node, 0.15)),
                new Kind("kill-zookeeper-member", () -> new ControlPlaneFaults.KillZooKeeper(false)),
                new Kind("kill-zookeeper-leader", () -> new ControlPlaneFaults.KillZooKeeper(true)),
                new Kind("kill-leader-coordinator", ControlPlaneFaults.KillLeaderCoordinator::new),
                new Kind("restart-gateway", ControlPlaneFaults.RestartGateway::new),
                new Kind("kill-gateway", () -> new ControlPlaneFaults.KillGateway(false)),
                new Kind("router-crash", () -> new ControlPlaneFaults.KillGateway(true)));
    }

    /** Several faults at once: injected in order, healed in reverse order. */
    public static Fault combined(List<Fault> parts) {
        return new Fault() {
            public String name() {
                return parts.stream().map(Fault::name).collect(Collectors.joining("+"));
            }

            public String description() {
                return parts.stream().map(Fault::description).collect(Collectors.joining("; and "));
            }

            public void inject(DockerCluster c) {
                for (Fault f : parts) {
                    f.inject(c);
                }
            }

            public java.util.Optional<String> notInForce(DockerCluster c) {
                return parts.stream().map(f -> f.notInForce(c)).flatMap(java.util.Optional::stream).reduce((a, b) -> a + "; " + b);
            }

            public void heal(DockerCluster c) {
                List<Fault> reversed = new ArrayList<>(parts);
                java.util.Collections.reverse(reversed);
                RuntimeException first = null;
                for (Fault f : reversed) {
                    try {
                        f.heal(c);
                    } catch (RuntimeException e) {
                        first = first == null ? e : first;
                    }
                }
                if (first != null) {
                    throw first;
                }
            }

            public boolean instantaneous() {
                return parts.stream().allMatch(Fault::instantaneous);
            }
        };
    }
}
