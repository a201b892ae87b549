package io.rayforce.cluster.coordinator.server;

import static io.rayforce.cluster.coordinator.server.ControlServiceTest.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.meta.ZkPaths;
import io.rayforce.cluster.coordinator.proto.ClusterState;
import io.rayforce.cluster.coordinator.proto.ControlServiceGrpc;
import io.rayforce.cluster.coordinator.proto.CreateTableRequest;
import io.rayforce.cluster.coordinator.proto.DescribeTableRequest;
import io.rayforce.cluster.coordinator.proto.DropTableRequest;
import io.rayforce.cluster.coordinator.proto.PlacementEpoch;
import io.rayforce.cluster.coordinator.proto.RebalanceRequest;
import io.rayforce.cluster.coordinator.proto.Replica;
import io.rayforce.cluster.coordinator.proto.ReplicaState;
import io.rayforce.cluster.coordinator.proto.ReportReplicaFailureRequest;
import io.rayforce.cluster.coordinator.proto.ShardPlacement;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.proto.WatchPlacementRequest;
import io.rayforce.cluster.coordinator.store.ClusterConnection;
import io.rayforce.cluster.coordinator.store.ClusterView;
import io.rayforce.cluster.coordinator.store.ProtoJson;
import io.rayforce.cluster.coordinator.testing.TestCluster;
import io.rayforce.cluster.coordinator.testing.TestZooKeeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Many clients at once, through two coordinators (one forwards to the other): creating and
 * dropping tables (their own and contended shared names), reporting replica failures and asking
 * for rebalance plans. Afterwards the metadata in ZooKeeper must be consistent, every outcome a
 * client was told about must be there, and the epochs seen on a watch must only go up.
 */
class ConcurrentAdminTest {
    private static final int THREADS = 8;
    private static final int OPS = 12;

    @Test
    void concurrentAdminRequestsDoNotCorruptOrLoseMetadata() throws Exception {
        try (TestCluster cluster = new TestCluster(Duration.ofSeconds(60))) {
            Coordinator a = cluster.startCoordinator();
            await().atMost(Duration.ofSeconds(10)).until(a::isLeader);
            Coordinator b = cluster.startCoordinator();
            for (String id : List.of("n1", "n2", "n3", "n4")) {
                cluster.startNode(id);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> b.view().snapshot().nodes().size() == 4);
            cluster.client(a).createTable(CreateTableRequest.newBuilder().setSpec(spec("shared", 16, 3)).build());

            List<Long> watched = Collections.synchronizedList(new ArrayList<>());
            Iterator<ClusterState> watch = cluster.client(b).withDeadlineAfter(60, TimeUnit.SECONDS)
                    .watchPlacement(WatchPlacementRequest.getDefaultInstance());
            Thread watcher = new Thread(() -> {
                try {
                    while (watch.hasNext()) {
                        watched.add(watch.next().getEpoch());
                    }
                } catch (StatusRuntimeException ignored) {
                    // cancelled at the end
                }
            });
            watcher.setDaemon(true);
            watcher.start();

            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<Map<String, Boolean>>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                ControlServiceGrpc.ControlServiceBlockingStub client = cluster.client(t % 2 == 0 ? a : b);
                results.add(pool.submit(() -> run(thread, client)));
            }
            Map<String, Boolean> expected = new HashMap<>();
            for (Future<Map<String, Boolean>> f : results) {
                expected.putAll(f.get(120, TimeUnit.SECONDS));
            }
            pool.shutdown();

            // let the leader finish re-filling the replicas reported as failed
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                ClusterSnapshot now = b.view().snapshot();
                return now.epoch() == a.store().currentEpoch() && now.tables().values().stream()
                        .flatMap(t -> t.getShardsList().stream()).flatMap(s -> s.getReplicasList().stream())
                        .allMatch(r -> r.getState() == ReplicaState.LIVE);
            });
            ClusterSnapshot snap = b.view().snapshot();

            // no lost updates: what each client was told is what is there
            expected.forEach((table, exists) -> assertThat(snap.table(table).isPresent()).as("table %s", table).isEqualTo(exists));

            // consistent metadata: a fresh reader builds the same placement straight from ZooKeeper
            try (ClusterConnection conn = TestZooKeeper.connect(cluster.name);
                 ClusterView fresh = ClusterView.start(conn.curator(), Duration.ofSeconds(10))) {
                ClusterSnapshot f = fresh.awaitEpoch(snap.epoch(), Duration.ofSeconds(10));
                assertThat(f.epoch()).isEqualTo(snap.epoch());
                assertThat(f.state().getTablesList()).isEqualTo(snap.state().getTablesList());
                PlacementEpoch epoch = ProtoJson.read(conn.curator().getData().forPath(ZkPaths.EPOCH), PlacementEpoch.newBuilder(), "epoch");
                assertThat(epoch.getTablesMap().keySet()).isEqualTo(snap.tables().keySet());
                assertThat(new TreeSet<>(conn.curator().getChildren().forPath(ZkPaths.TABLES))).isEqualTo(snap.tables().keySet());
                assertThat(new TreeSet<>(conn.curator().getChildren().forPath(ZkPaths.PLACEMENT))).isEqualTo(snap.tables().keySet());
            }
            for (TablePlacement t : snap.tables().values()) {
                for (ShardPlacement s : t.getShardsList()) {
                    List<String> nodes = s.getReplicasList().stream().map(Replica::getNodeId).toList();
                    assertThat(nodes).as("%s/%d", t.getSpec().getName(), s.getShard())
                            .hasSize(t.getSpec().getReplicationFactor()).doesNotHaveDuplicates();
                }
            }
            // every failure report made a replica STALE, and every STALE replica was re-filled since
            assertThat(snap.table("shared").orElseThrow().getShardsList().stream().flatMap(s -> s.getReplicasList().stream())
                    .filter(r -> r.getSinceEpoch() > 1)).isNotEmpty();

            await().atMost(Duration.ofSeconds(10)).until(() -> !watched.isEmpty() && watched.get(watched.size() - 1) >= snap.epoch());
            synchronized (watched) {
                for (int i = 1; i < watched.size(); i++) {
                    assertThat(watched.get(i)).isGreaterThanOrEqualTo(watched.get(i - 1));
                }
            }
            assertThat(new HashSet<>(watched).size()).isGreaterThan(10);
        }
    }

    /** One client's random work; returns the final state it knows of each table name it owns. */
    private static Map<String, Boolean> run(int thread, ControlServiceGrpc.ControlServiceBlockingStub client) {
        Random random = new Random(thread);
        Map<String, Boolean> mine = new HashMap<>();
        Set<String> contended = Set.of("c0", "c1");
        for (int i = 0; i < OPS; i++) {
            int op = random.nextInt(6);
            try {
                switch (op) {
                    case 0, 1 -> {
                        String name = "own" + thread + "_" + random.nextInt(3);
                        client.createTable(CreateTableRequest.newBuilder().setSpec(spec(name, 1 + random.nextInt(70), 1 + random.nextInt(3))).build());
                        mine.put(name, true);
                    }
                    case 2 -> {
                        String name = "own" + thread + "_" + random.nextInt(3);
                        client.dropTable(DropTableRequest.newBuilder().setName(name).build());
                        mine.put(name, false);
                    }
                    case 3 -> {
                        String name = List.copyOf(contended).get(random.nextInt(2));
                        if (random.nextBoolean()) {
                            client.createTable(CreateTableRequest.newBuilder().setSpec(spec(name, 4, 2)).build());
                        } else {
                            client.dropTable(DropTableRequest.newBuilder().setName(name).build());
                        }
                    }
                    case 4 -> {
                        TablePlacement shared = client.describeTable(DescribeTableRequest.newBuilder().setName("shared").build());
                        int s = random.nextInt(16);
                        String node = shared.getShards(s).getReplicas(random.nextInt(3)).getNodeId();
                        long epoch = client.reportReplicaFailure(ReportReplicaFailureRequest.newBuilder().setTable("shared").setShard(s)
                                .setNodeId(node).setReason("test").build()).getEpoch();
                        assertThat(epoch).isPositive();
                    }
                    default -> client.rebalance(RebalanceRequest.newBuilder().setDryRun(true).build());
                }
            } catch (StatusRuntimeException e) {
                Status.Code code = e.getStatus().getCode();
                // expected outcomes of racing on names; anything else is a failure
                assertThat(code).as("op %d: %s", op, e.getStatus()).isIn(Status.Code.ALREADY_EXISTS, Status.Code.NOT_FOUND);
            }
        }
        return mine;
    }
}
