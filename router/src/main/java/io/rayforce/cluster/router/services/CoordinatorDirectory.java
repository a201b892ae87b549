package io.rayforce.cluster.router.services;

import io.rayforce.cluster.coordinator.meta.ZkPaths;
import io.rayforce.cluster.coordinator.proto.ClusterState;
import io.rayforce.cluster.router.exec.PlacementSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.Participant;

/**
 * Where the coordinators' gRPC services are: the addresses the cluster state lists, else the
 * participants of the coordinators' {@link LeaderLatch} (each takes part under its gRPC
 * {@code host:port}), the leader first.
 */
public final class CoordinatorDirectory implements Supplier<List<String>> {
    private final CuratorFramework curator;
    private final PlacementSource placement;

    public CoordinatorDirectory(CuratorFramework curator, PlacementSource placement) {
        this.curator = curator;
        this.placement = placement;
    }

    @Override
    public List<String> get() {
        Set<String> out = new LinkedHashSet<>();
        ClusterState state = placement.snapshot().state();
        if (state.getCoordinatorsList().contains(state.getLeader())) {
            out.add(state.getLeader());
        }
        out.addAll(state.getCoordinatorsList());
        if (out.isEmpty()) {
            out.addAll(latchParticipants());
        }
        return new ArrayList<>(out);
    }

    private List<String> latchParticipants() {
        List<String> leaderFirst = new ArrayList<>();
        try {
            for (Participant p : new LeaderLatch(curator, ZkPaths.LEADER).getParticipants()) {
                if (p.getId().contains(":")) {
                    if (p.isLeader()) {
                        leaderFirst.add(0, p.getId());
                    } else {
                        leaderFirst.add(p.getId());
                    }
                }
            }
        } catch (Exception e) {
            // no latch yet, or ZooKeeper unreachable: no coordinator known
        }
        return leaderFirst;
    }
}
