package io.rayforce.cluster.node.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.rayforce.cluster.coordinator.meta.ClusterNaming;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.ControlServiceGrpc;
import io.rayforce.cluster.coordinator.proto.CreateTableRequest;
import io.rayforce.cluster.coordinator.proto.DropTableRequest;
import io.rayforce.cluster.coordinator.proto.ListShardsRequest;
import io.rayforce.cluster.coordinator.proto.NodeServiceGrpc;
import io.rayforce.cluster.coordinator.proto.ShardInfo;
import io.rayforce.cluster.node.testing.ClusterHarness;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parallel table creates and drops through both coordinators (one forwards to the leader) while a
 * node joins: the metadata ends consistent, and every node holds exactly the shards placed on it.
 */
class ConcurrentAdminTest {
    static final int THREADS = 6;
    static final int TABLES_PER_THREAD = 4;

    @TempDir
    Path dir;

    @Test
    void concurrentCreatesAndDropsWhileANodeJoinsLeaveConsistentMetadata() throws Exception {
        try (ClusterHarness cluster = ClusterHarness.start(dir, "admin", 2, "a", "b")) {
            List<ControlServiceGrpc.ControlServiceBlockingStub> stubs = List.of(
                    cluster.control(cluster.coordinators().get(0)), cluster.control(cluster.coordinators().get(1)));
            Map<String, Boolean> shouldExist = new ConcurrentHashMap<>();
            Map<String, String> unexpected = new ConcurrentHashMap<>();
            CyclicBarrier go = new CyclicBarrier(THREADS + 1);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<CompletableFuture<Void>> workers = new ArrayList<>();
            for (int w = 0; w < THREADS; w++) {
                int worker = w;
                workers.add(CompletableFuture.runAsync(() -> {
                    ControlServiceGrpc.ControlServiceBlockingStub stub = stubs.get(worker % 2);
                    awaitAll(go);
                    for (int i = 0; i < TABLES_PER_THREAD; i++) {
                        String name = "t" + worker + "_" + i;
                        call(unexpected, name, () -> stub.createTable(CreateTableRequest.newBuilder()
                                .setSpec(ClusterHarness.trades(name, 3, 2)).build()));
                        // every worker also races the others to create the one contested table
                        call(unexpected, "contested", () -> stub.createTable(CreateTableRequest.newBuilder()
                                .setSpec(ClusterHarness.trades("contested", 4, 2)).setIfNotExists(true).build()));
                        boolean drop = (worker + i) % 2 == 0;
                        if (drop) {
                            call(unexpected, name, () -> stub.dropTable(DropTableRequest.newBuilder().setName(name).build()));
                        }
                        shouldExist.put(name, !drop);
                    }
                }, pool));
            }
            awaitAll(go);
            cluster.addNode("c");
            CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).get(180, TimeUnit.SECONDS);
            pool.shutdownNow();
            assertThat(unexpected).as("requests that failed").isEmpty();

            Set<String> wanted = shouldExist.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey)
                    .collect(Collectors.toCollection(TreeSet::new));
            wanted.add("contested");
            await().atMost(Duration.ofSeconds(30)).until(() -> cluster.snapshot().tables().keySet().equals(wanted));
            for (String t : wanted) {
                cluster.awaitHealthy(t, 2, Duration.ofSeconds(30));
            }
            assertThat(cluster.snapshot().table("contested").orElseThrow().getSpec().getShardCount()).isEqualTo(4);

            // the join starts a rebalance that may still be moving replicas to c: compare each node's
            // shards with the placement read again on every attempt, until both settle
            Map<String, ManagedChannel> channels = new HashMap<>();
            try {
                for (String id : List.of("a", "b", "c")) {
                    channels.put(id, NettyChannelBuilder.forAddress("127.0.0.1", cluster.node(id).controlPort()).usePlaintext().build());
                }
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    ClusterSnapshot snap = cluster.snapshot();
                    Map<String, Set<String>> placed = new HashMap<>();
                    snap.nodes().keySet().forEach(n -> placed.put(n, new TreeSet<>()));
                    snap.tables().values().forEach(t -> t.getShardsList().forEach(s -> s.getReplicasList().forEach(r ->
                            placed.get(r.getNodeId()).add(ClusterNaming.shardGlobal(t.getSpec().getName(), s.getShard())))));
                    for (String id : List.of("a", "b", "c")) {
                        Set<String> held = NodeServiceGrpc.newBlockingStub(channels.get(id)).withDeadlineAfter(10, TimeUnit.SECONDS)
                                .listShards(ListShardsRequest.getDefaultInstance()).getShardsList().stream()
                                .map(ShardInfo::getGlobalName).collect(Collectors.toCollection(TreeSet::new));
                        assertThat(held).as("shards on node %s", id).isEqualTo(placed.get(id));
                    }
                });
            } finally {
                for (ManagedChannel ch : channels.values()) {
                    ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static void call(Map<String, String> unexpected, String table, Runnable request) {
        for (int attempt = 0; ; attempt++) {
            try {
                request.run();
                return;
            } catch (StatusRuntimeException e) {
                // while the leader is elected, or a request races placement, a retry is the documented answer
                if (e.getStatus().getCode() == Status.Code.UNAVAILABLE && attempt < 20) {
                    sleep(250);
                    continue;
                }
                unexpected.put(table + "#" + attempt, e.getStatus().toString());
                return;
            }
        }
    }

    private static void awaitAll(CyclicBarrier b) {
        try {
            b.await(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
