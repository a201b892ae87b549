package io.rayforce.cluster.coordinator.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rayforce.cluster.coordinator.proto.ClusterState;
import io.rayforce.cluster.coordinator.proto.ColumnSpec;
import io.rayforce.cluster.coordinator.proto.ControlServiceGrpc;
import io.rayforce.cluster.coordinator.proto.CreateTableRequest;
import io.rayforce.cluster.coordinator.proto.DescribeClusterRequest;
import io.rayforce.cluster.coordinator.proto.DescribeTableRequest;
import io.rayforce.cluster.coordinator.proto.DropTableRequest;
import io.rayforce.cluster.coordinator.proto.DropTableResponse;
import io.rayforce.cluster.coordinator.proto.Replica;
import io.rayforce.cluster.coordinator.proto.ReplicaState;
import io.rayforce.cluster.coordinator.proto.ShardPlacement;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.coordinator.proto.WatchPlacementRequest;
import io.rayforce.cluster.coordinator.testing.TestCluster;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The control plane over real gRPC on loopback, one coordinator and three in-memory node agents. */
class ControlServiceTest {
    private static TestCluster cluster;
    private static Coordinator coordinator;
    private static ControlServiceGrpc.ControlServiceBlockingStub client;

    @BeforeAll
    static void start() {
        cluster = new TestCluster(Duration.ofSeconds(30));
        coordinator = cluster.startCoordinator();
        for (String id : List.of("n1", "n2", "n3")) {
            cluster.startNode(id);
        }
        client = cluster.client(coordinator);
        await().atMost(Duration.ofSeconds(10)).until(() -> coordinator.isLeader() && coordinator.view().snapshot().nodes().size() == 3);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    static TableSpec spec(String name, int shards, int rf) {
        return TableSpec.newBuilder().setName(name)
                .addColumns(ColumnSpec.newBuilder().setName("id").setType("i64"))
                .addColumns(ColumnSpec.newBuilder().setName("sym").setType("symbol"))
                .addColumns(ColumnSpec.newBuilder().setName("px").setType("f64"))
                .setShardKey("sym").setShardCount(shards).setReplicationFactor(rf).build();
    }

    @Test
    void createPlacesEveryShardLiveOnDistinctNodesAfterCreatingItThere() {
        TablePlacement p = client.createTable(CreateTableRequest.newBuilder().setSpec(spec("trades", 6, 2)).build());

        assertThat(p.getSpec().getCreatedEpoch()).isPositive();
        assertThat(p.getShardsList()).hasSize(6).allSatisfy(s -> {
            assertThat(s.getReplicasList()).hasSize(2).allMatch(r -> r.getState() == ReplicaState.LIVE);
            assertThat(s.getReplicasList()).extracting(Replica::getNodeId).doesNotHaveDuplicates();
        });
        for (ShardPlacement s : p.getShardsList()) {
            for (Replica r : s.getReplicasList()) {
                assertThat(cluster.node(r.getNodeId()).commands).contains("create trades/" + s.getShard());
            }
        }
        // 12 replicas over 3 nodes: 4 each
        for (String n : List.of("n1", "n2", "n3")) {
            assertThat(cluster.node(n).commands.stream().filter(c -> c.startsWith("create trades/")).count()).isEqualTo(4);
        }
        assertThat(client.describeTable(DescribeTableRequest.newBuilder().setName("trades").build())).isEqualTo(p);
        ClusterState state = client.describeCluster(DescribeClusterRequest.getDefaultInstance());
        assertThat(state.getLeader()).isEqualTo(coordinator.address());
        assertThat(state.getCoordinatorsList()).containsExactly(coordinator.address());
        assertThat(state.getNodesList()).extracting(n -> n.getId()).containsExactly("n1", "n2", "n3");
        assertThat(state.getTablesList()).extracting(t -> t.getSpec().getName()).contains("trades");
    }

    @Test
    void createIfNotExistsReturnsTheExistingTableButADifferentSpecIsAlreadyExists() {
        TablePlacement first = client.createTable(CreateTableRequest.newBuilder().setSpec(spec("quotes", 2, 1)).build());
        TablePlacement again = client.createTable(CreateTableRequest.newBuilder().setSpec(spec("quotes", 2, 1)).setIfNotExists(true).build());
        assertThat(again).isEqualTo(first);
        assertError(() -> client.createTable(CreateTableRequest.newBuilder().setSpec(spec("quotes", 2, 1)).build()),
                Status.Code.ALREADY_EXISTS, "table quotes already exists");
        assertError(() -> client.createTable(CreateTableRequest.newBuilder().setSpec(spec("quotes", 4, 1)).setIfNotExists(true).build()),
                Status.Code.ALREADY_EXISTS, "with a different spec");
    }

    @Test
    void dropRemovesTheTableAndItsShardsFromTheNodes() {
        TablePlacement p = client.createTable(CreateTableRequest.newBuilder().setSpec(spec("gone", 3, 2)).build());
        DropTableResponse r = client.dropTable(DropTableRequest.newBuilder().setName("gone").build());

        assertThat(r.getDropped()).isTrue();
        assertThat(r.getEpoch()).isGreaterThan(p.getEpoch());
        for (ShardPlacement s : p.getShardsList()) {
            for (Replica rep : s.getReplicasList()) {
                assertThat(cluster.node(rep.getNodeId()).holds("gone", s.getShard())).isFalse();
            }
        }
        assertError(() -> client.describeTable(DescribeTableRequest.newBuilder().setName("gone").build()), Status.Code.NOT_FOUND, "no table gone");
        assertError(() -> client.dropTable(DropTableRequest.newBuilder().setName("gone").build()), Status.Code.NOT_FOUND, "no table gone");
        assertThat(client.dropTable(DropTableRequest.newBuilder().setName("gone").setIfExists(true).build()).getDropped()).isFalse();
    }

    @Test
    void aTableReplicatedToEveryNodeLandsOnAllThree() {
        TableSpec dim = TableSpec.newBuilder().setName("venues").setReplicatedToAll(true)
                .addColumns(ColumnSpec.newBuilder().setName("venue").setType("symbol")).build();
        TablePlacement p = client.createTable(CreateTableRequest.newBuilder().setSpec(dim).build());
        assertThat(p.getSpec().getShardCount()).isEqualTo(1);
        assertThat(p.getShards(0).getReplicasList()).extracting(Replica::getNodeId).containsExactlyInAnyOrder("n1", "n2", "n3");
    }

    @Test
    void invalidSpecsAreInvalidArgumentNamingTheField() {
        invalid(s -> s.setName("9lives"), "spec.name: invalid table name '9lives'");
        invalid(s -> s.setName("a__b"), "spec.name");
        invalid(s -> s.clearColumns(), "spec.columns: a table needs at least one column");
        invalid(s -> s.setColumns(2, ColumnSpec.newBuilder().setName("px").setType("float")),
                "spec.columns[2].type: unknown type 'float' of column px");
        invalid(s -> s.setColumns(1, ColumnSpec.newBuilder().setName("id").setType("i64")), "spec.columns[1].name: duplicate column 'id'");
        invalid(s -> s.setColumns(1, ColumnSpec.newBuilder().setName("__seq").setType("i64")), "reserved");
        invalid(s -> s.setShardKey("venue"), "spec.shard_key: shard key 'venue' is not a column of t");
        invalid(s -> s.clearShardKey(), "spec.shard_key: a sharded table needs a shard key column");
        invalid(s -> s.setShardCount(0), "spec.shard_count: shard count must be between 1 and 65536, not 0");
        invalid(s -> s.setShardCount(70_000), "not 70000");
        invalid(s -> s.setReplicationFactor(0), "spec.replication_factor: replication factor must be between 1 and 16, not 0");
        invalid(s -> s.setReplicatedToAll(true), "spec.shard_key: a table replicated to every node has no shard key");
        invalid(s -> s.setReplicatedToAll(true).clearShardKey().setShardCount(4), "spec.shard_count: a table replicated to every node has one shard");
    }

    @Test
    void replicationAboveTheLiveNodesIsFailedPrecondition() {
        assertError(() -> client.createTable(CreateTableRequest.newBuilder().setSpec(spec("wide", 2, 4)).build()),
                Status.Code.FAILED_PRECONDITION, "replication factor 4 exceeds the 3 nodes that can take shards (n1, n2, n3)");
        assertError(() -> client.describeTable(DescribeTableRequest.newBuilder().setName("wide").build()), Status.Code.NOT_FOUND, "no table wide");
    }

    @Test
    void healthIsServingForTheServerAndTheControlService() {
        ManagedChannel ch = Grpc.newChannelBuilder(coordinator.address(), InsecureChannelCredentials.create()).build();
        try {
            HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(ch);
            assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
            assertThat(health.check(HealthCheckRequest.newBuilder().setService(Coordinator.SERVICE).build()).getStatus())
                    .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        } finally {
            ch.shutdownNow();
        }
    }

    @Test
    void gaugesShowTheEpochLeadershipAndReplicaStates() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Metrics.addRegistry(registry);
        try {
            TablePlacement p = client.createTable(CreateTableRequest.newBuilder().setSpec(spec("metered", 2, 3)).build());
            String me = coordinator.address();
            assertThat(registry.get("rfc.coordinator.leader").tag("coordinator", me).gauge().value()).isEqualTo(1.0);
            assertThat(registry.get("rfc.placement.epoch").tag("coordinator", me).gauge().value()).isGreaterThanOrEqualTo(p.getEpoch());
            assertThat(registry.get("rfc.nodes.live").tag("coordinator", me).gauge().value()).isEqualTo(3.0);
            assertThat(registry.get("rfc.replicas").tag("coordinator", me).tag("state", "LIVE").gauge().value()).isGreaterThanOrEqualTo(6.0);
            assertThat(registry.get("rfc.replicas").tag("coordinator", me).tag("state", "DOWN").gauge().value()).isZero();
        } finally {
            Metrics.removeRegistry(registry);
        }
    }

    @Test
    void watchPlacementPushesEachNewEpoch() throws Exception {
        long now = client.describeCluster(DescribeClusterRequest.getDefaultInstance()).getEpoch();
        Iterator<ClusterState> stream = client.withDeadlineAfter(20, TimeUnit.SECONDS)
                .watchPlacement(WatchPlacementRequest.newBuilder().setAfterEpoch(now).build());
        TablePlacement p = client.createTable(CreateTableRequest.newBuilder().setSpec(spec("watched", 1, 1)).build());
        ClusterState first = stream.next();
        assertThat(first.getEpoch()).isEqualTo(p.getEpoch());
        assertThat(first.getTablesList()).extracting(t -> t.getSpec().getName()).contains("watched");
        client.dropTable(DropTableRequest.newBuilder().setName("watched").build());
        ClusterState second = stream.next();
        assertThat(second.getEpoch()).isGreaterThan(first.getEpoch());
        assertThat(second.getTablesList()).extracting(t -> t.getSpec().getName()).doesNotContain("watched");
    }

    private static void invalid(UnaryOperator<TableSpec.Builder> edit, String message) {
        TableSpec bad = edit.apply(spec("t", 2, 1).toBuilder()).build();
        assertError(() -> client.createTable(CreateTableRequest.newBuilder().setSpec(bad).build()), Status.Code.INVALID_ARGUMENT, message);
    }

    static void assertError(Runnable call, Status.Code code, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(code);
            assertThat(e.getStatus().getDescription()).contains(message);
        });
    }
}
