package io.rayforce.cluster.coordinator.server;

import static org.awaitility.Awaitility.await;

import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.placement.PlacementPlanner;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.coordinator.store.ClusterConnection;
import io.rayforce.cluster.coordinator.store.ClusterView;
import io.rayforce.cluster.coordinator.store.NodeCommands;
import io.rayforce.cluster.coordinator.store.PlacementStore;
import io.rayforce.cluster.coordinator.store.RouterBarrier;
import io.rayforce.cluster.coordinator.store.ShardLocks;
import io.rayforce.cluster.coordinator.testing.InMemoryNodeAgent;
import io.rayforce.cluster.coordinator.testing.TestZooKeeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts a placement leader is built from, without a coordinator around them: a store and a
 * view on a fresh cluster of the shared test ZooKeeper, node commands, the router barrier, shard
 * locks, and in-memory node agents.
 */
final class LeaderFixture implements AutoCloseable {
    static final Duration ROUTER_WAIT = Duration.ofSeconds(5);

    final ClusterConnection connection = TestZooKeeper.connect(TestZooKeeper.freshCluster());
    final ClusterView view;
    final PlacementStore store;
    final NodeCommands nodes = new NodeCommands(Duration.ofSeconds(10), Duration.ofSeconds(30));
    final RouterBarrier routers;
    final ShardLocks locks;
    final List<InMemoryNodeAgent> agents = new ArrayList<>();

    LeaderFixture() {
        PlacementStore.ensureLayout(connection.curator());
        view = ClusterView.start(connection.curator(), Duration.ofSeconds(10));
        store = new PlacementStore(connection.curator(), view);
        routers = RouterBarrier.start(connection.curator());
        locks = new ShardLocks(connection.curator());
    }

    /** Starts node agents and waits until the view has them all. */
    LeaderFixture withNodes(String... ids) {
        for (String id : ids) {
            agents.add(InMemoryNodeAgent.start(id, connection.cluster()));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> view.snapshot().nodes().keySet().containsAll(List.of(ids)));
        return this;
    }

    InMemoryNodeAgent node(String id) {
        return agents.stream().filter(n -> n.id().equals(id)).reduce((a, b) -> b).orElseThrow();
    }

    ShardMover mover() {
        return new ShardMover(store, locks, nodes, routers, ROUTER_WAIT, Duration.ofSeconds(10));
    }

    /** Writes a table placed by the planner (no shards are created on the nodes) and returns the snapshot that has it. */
    ClusterSnapshot placed(TableSpec spec) throws Exception {
        ClusterSnapshot snap = store.currentSnapshot();
        TablePlacement t = store.createTable(TablePlacement.newBuilder().setSpec(spec)
                .addAllShards(PlacementPlanner.placeTable(spec, snap, PlacementPlanner.eligibleNodes(snap))).build());
        return view.awaitEpoch(t.getEpoch(), Duration.ofSeconds(10));
    }

    ClusterSnapshot snapshot() throws Exception {
        return store.currentSnapshot();
    }

    @Override
    public void close() {
        agents.forEach(InMemoryNodeAgent::close);
        nodes.close();
        routers.close();
        view.close();
        connection.close();
    }
}
