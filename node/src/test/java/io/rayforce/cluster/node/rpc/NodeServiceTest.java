package io.rayforce.cluster.node.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.rayforce.cluster.client.engine.NativeServer;
import io.rayforce.cluster.client.engine.ServerOptions;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.coordinator.proto.ColumnSpec;
import io.rayforce.cluster.coordinator.proto.CopyShardRequest;
import io.rayforce.cluster.coordinator.proto.CreateShardRequest;
import io.rayforce.cluster.coordinator.proto.DropShardRequest;
import io.rayforce.cluster.coordinator.proto.ListShardsRequest;
import io.rayforce.cluster.coordinator.proto.ListShardsResponse;
import io.rayforce.cluster.coordinator.proto.NodeServiceGrpc;
import io.rayforce.cluster.coordinator.proto.ShardInfo;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.coordinator.store.ClusterConnection;
import io.rayforce.cluster.coordinator.store.EmbeddedZooKeeper;
import io.rayforce.cluster.coordinator.store.ShardLock;
import io.rayforce.cluster.coordinator.store.ShardLocks;
import io.rayforce.cluster.node.engine.EngineSupervisor;
import io.rayforce.cluster.node.engine.SupervisorSettings;
import io.rayforce.cluster.node.shard.ShardCopier;
import io.rayforce.cluster.node.shard.ShardStore;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NodeService over real gRPC on loopback, with real engines and real ZooKeeper shard locks. */
class NodeServiceTest {
    static final SupervisorSettings FAST = SupervisorSettings.DEFAULTS
            .withHealth(Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(5))
            .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(60))
            .withRequestTimeout(Duration.ofSeconds(60));

    static final TableSpec TRADES = TableSpec.newBuilder().setName("trades").setShardKey("sym").setShardCount(4)
            .setReplicationFactor(2)
            .addColumns(col("id", "i64")).addColumns(col("sym", "symbol")).addColumns(col("px", "f64"))
            .addColumns(col("ts", "timestamp")).addColumns(col("note", "string")).build();

    static EmbeddedZooKeeper zk;
    static ClusterConnection zkConnection;
    static ShardLocks locks;

    @TempDir
    Path dir;

    EngineSupervisor local;
    EngineSupervisor source;
    Server server;
    ManagedChannel channel;
    NodeServiceGrpc.NodeServiceBlockingStub node;
    final AtomicBoolean draining = new AtomicBoolean();

    static ColumnSpec col(String name, String type) {
        return ColumnSpec.newBuilder().setName(name).setType(type).build();
    }

    @BeforeAll
    static void startZooKeeper() {
        zk = EmbeddedZooKeeper.start();
        zkConnection = ClusterConnection.connect(zk.connectString(), "nodeservice", Duration.ofSeconds(10));
        locks = new ShardLocks(zkConnection.curator());
    }

    @AfterAll
    static void stopZooKeeper() {
        zkConnection.close();
        zk.close();
    }

    @BeforeEach
    void start() throws Exception {
        local = new EngineSupervisor(null, ServerOptions.onPort(NativeServer.freePort()), dir.resolve("local"),
                FAST.withBackoff(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(60)));
        local.start();
        source = new EngineSupervisor(null, ServerOptions.onPort(NativeServer.freePort()), dir.resolve("source"), FAST);
        source.start();
        // small pages, so copies here take several
        ShardCopier copier = new ShardCopier(local, 64 * 1024, Duration.ofSeconds(60));
        NodeServiceImpl impl = new NodeServiceImpl(() -> "local-node", local, new ShardStore(local), copier,
                locks::lock, draining::get, Duration.ofSeconds(1));
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(impl).build().start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
        node = NodeServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        local.close();
        source.close();
    }

    private ShardInfo create(TableSpec spec, int shard) {
        return node.createShard(CreateShardRequest.newBuilder().setSpec(spec).setShard(shard).build());
    }

    private ShardInfo copy(int shard) {
        return copy(shard, true);
    }

    private ShardInfo copy(int shard, boolean lockShard) {
        return node.copyShard(CopyShardRequest.newBuilder().setSpec(TRADES).setShard(shard).setSourceNodeId("source-node")
                .setSourceHost("127.0.0.1").setSourceIpcPort(source.port()).setLockShard(lockShard).build());
    }

    /** Fills shard {@code shard} of trades on the source engine with {@code rows} rows. */
    private void fillSource(int shard, int rows) {
        new ShardStore(source).create(TRADES, shard);
        String n = Integer.toString(rows);
        source.client().execute("(insert 'trades__" + shard + " (table [id sym px ts note __seq] (list (til " + n + ") "
                + "(take [AAPL MSFT GOOG IBM] " + n + ") (* 1.5 (til " + n + ")) (+ 2024.01.15D09:30:00.000000001 (til " + n + ")) "
                + "(take [\"a\" \"bc\" \"d\\\"ef\" \"\"] " + n + ") (+ 1000 (til " + n + ")))))");
    }

    private static Status.Code code(Runnable r) {
        try {
            r.run();
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
        throw new AssertionError("expected a gRPC error");
    }

    @Test
    void createShardMakesAnEmptyTableWithTheSchemaAndTheSequenceColumn() {
        ShardInfo info = create(TRADES, 2);
        assertThat(info.getGlobalName()).isEqualTo("trades__2");
        assertThat(info.getTable()).isEqualTo("trades");
        assertThat(info.getShard()).isEqualTo(2);
        assertThat(info.getRows()).isZero();
        RayTable t = (RayTable) local.client().execute("trades__2");
        assertThat(t.columnNames()).containsExactly("id", "sym", "px", "ts", "note", "__seq");
        assertThat(local.client().execute("(map type (value trades__2))").toString())
                .isEqualTo("(list 'I64 'SYM 'F64 'TIMESTAMP 'STR 'I64)");
    }

    @Test
    void createShardIsIdempotentAndKeepsRowsButRefusesAnotherSchema() {
        create(TRADES, 1);
        local.client().execute("(insert 'trades__1 (table [id sym px ts note __seq] (list [1] [A] [1.0] [2024.01.15D09:30:00.000000000] [\"x\"] [7])))");
        assertThat(create(TRADES, 1).getRows()).isEqualTo(1);

        TableSpec other = TRADES.toBuilder().setColumns(2, col("px", "i64")).build();
        assertThatThrownBy(() -> create(other, 1)).isInstanceOf(StatusRuntimeException.class)
                .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS))
                .hasMessageContaining("trades__1").hasMessageContaining("px:F64");
    }

    @Test
    void badRequestsAreInvalidArgumentsWithClearMessages() {
        assertThatThrownBy(() -> create(TRADES.toBuilder().setColumns(1, col("sym", "varchar")).build(), 0))
                .hasMessageContaining("INVALID_ARGUMENT").hasMessageContaining("unknown type 'varchar'");
        assertThatThrownBy(() -> create(TRADES.toBuilder().setName("bad name").build(), 0))
                .hasMessageContaining("INVALID_ARGUMENT").hasMessageContaining("invalid table name");
        assertThatThrownBy(() -> create(TRADES.toBuilder().addColumns(col("__seq", "i64")).build(), 0))
                .hasMessageContaining("INVALID_ARGUMENT").hasMessageContaining("reserved");
        assertThatThrownBy(() -> create(TRADES.toBuilder().addColumns(col("id", "i64")).build(), 0))
                .hasMessageContaining("INVALID_ARGUMENT").hasMessageContaining("twice");
        assertThatThrownBy(() -> create(TRADES, 4)).hasMessageContaining("INVALID_ARGUMENT").hasMessageContaining("out of range");
        assertThatThrownBy(() -> node.createShard(CreateShardRequest.newBuilder().setShard(0).build()))
                .hasMessageContaining("INVALID_ARGUMENT").hasMessageContaining("no table spec");
        assertThatThrownBy(() -> node.copyShard(CopyShardRequest.newBuilder().setSpec(TRADES).setShard(0).build()))
                .hasMessageContaining("INVALID_ARGUMENT").hasMessageContaining("source");
        assertThatThrownBy(() -> node.copyShard(CopyShardRequest.newBuilder().setSpec(TRADES).setShard(0)
                .setSourceNodeId("local-node").setSourceHost("127.0.0.1").setSourceIpcPort(local.port()).build()))
                .hasMessageContaining("INVALID_ARGUMENT").hasMessageContaining("from itself");
        assertThatThrownBy(() -> node.dropShard(DropShardRequest.newBuilder().setShard(0).build()))
                .hasMessageContaining("INVALID_ARGUMENT");
    }

    @Test
    void listShardsReportsEveryShardWithRowsAndBytesAndDropShardRemovesOne() {
        create(TRADES, 0);
        create(TRADES, 3);
        local.client().execute("(insert 'trades__3 (table [id sym px ts note __seq] (list [1 2] [A B] [1.0 2.0] "
                + "[2024.01.15D09:30:00.000000000 2024.01.15D09:30:00.000000000] [\"x\" \"y\"] [7 8])))");
        local.client().execute("(set notashard 1) (set other__x 2) (set also__5 3)");

        ListShardsResponse list = node.listShards(ListShardsRequest.getDefaultInstance());
        assertThat(list.getNodeId()).isEqualTo("local-node");
        assertThat(list.getEngineUp()).isTrue();
        assertThat(list.getEngineBytes()).isPositive();
        assertThat(list.getShardsList()).extracting(ShardInfo::getGlobalName).containsExactly("trades__0", "trades__3");
        assertThat(list.getShards(1).getRows()).isEqualTo(2);
        assertThat(list.getShards(1).getBytes()).isGreaterThan(list.getShards(0).getBytes());

        assertThat(node.dropShard(DropShardRequest.newBuilder().setTable("trades").setShard(3).build()).getDropped()).isTrue();
        assertThat(node.dropShard(DropShardRequest.newBuilder().setTable("trades").setShard(3).build()).getDropped()).isFalse();
        assertThat(node.listShards(ListShardsRequest.getDefaultInstance()).getShardsList())
                .extracting(ShardInfo::getGlobalName).containsExactly("trades__0");
    }

    @Test
    void copyShardMovesEveryRowExactlyPageByPage() {
        fillSource(1, 20_000);
        ShardInfo info = copy(1);
        assertThat(info.getRows()).isEqualTo(20_000);
        assertThat(info.getGlobalName()).isEqualTo("trades__1");
        RayTable original = (RayTable) source.client().execute("trades__1");
        RayTable copied = (RayTable) local.client().execute("trades__1");
        assertThat(copied).isEqualTo(original);
        assertThat(local.client().execute("(map type (value trades__1))"))
                .isEqualTo(source.client().execute("(map type (value trades__1))"));
        assertThat(local.client().execute("(type (resolve 'trades__1__copy))").toString()).contains("null");
    }

    @Test
    void copyShardReplacesAStaleReplicaAndCopiesEmptyShards() {
        fillSource(0, 5);
        create(TRADES, 0);
        local.client().execute("(insert 'trades__0 (table [id sym px ts note __seq] (list [99] [OLD] [9.0] "
                + "[2024.01.15D09:30:00.000000000] [\"old\"] [99])))");
        copy(0);
        assertThat(local.client().execute("trades__0")).isEqualTo(source.client().execute("trades__0"));

        new ShardStore(source).create(TRADES, 2);
        assertThat(copy(2).getRows()).isZero();
        assertThat(local.client().execute("(map type (value trades__2))").toString())
                .isEqualTo("(list 'I64 'SYM 'F64 'TIMESTAMP 'STR 'I64)");
    }

    @Test
    void copiedDataIsJournaledAndSurvivesAnEngineCrash() {
        fillSource(3, 3000);
        copy(3);
        long pid = local.status().pid();
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        await().atMost(Duration.ofSeconds(20)).until(() -> local.status().restarts() == 1 && local.status().up());
        assertThat(local.client().execute("trades__3")).isEqualTo(source.client().execute("trades__3"));
    }

    @Test
    void copyShardErrorsNameTheProblem() {
        assertThat(code(() -> copy(1))).isEqualTo(Status.Code.NOT_FOUND);
        assertThatThrownBy(() -> copy(1)).hasMessageContaining("has no shard trades__1");

        source.client().execute("(set trades__2 (table [id __seq] (list [1] [1])))");
        assertThatThrownBy(() -> copy(2)).hasMessageContaining("FAILED_PRECONDITION").hasMessageContaining("id:I64 __seq:I64");

        int nobody = NativeServer.freePort();
        assertThatThrownBy(() -> node.copyShard(CopyShardRequest.newBuilder().setSpec(TRADES).setShard(0)
                .setSourceNodeId("gone").setSourceHost("127.0.0.1").setSourceIpcPort(nobody).build()))
                .hasMessageContaining("UNAVAILABLE").hasMessageContaining("cannot reach the copy source 127.0.0.1:" + nobody);
    }

    @Test
    void copyShardTakesTheShardsWriteLockWhenAsked() throws Exception {
        fillSource(1, 100);
        CompletableFuture<ShardLock> held = new CompletableFuture<>();
        CompletableFuture<Void> release = new CompletableFuture<>();
        Thread writer = new Thread(() -> {
            try (ShardLock lock = locks.lock("trades", 1, Duration.ofSeconds(5))) {
                held.complete(lock);
                release.get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                held.completeExceptionally(e);
            }
        });
        writer.start();
        held.get(10, TimeUnit.SECONDS);
        try {
            assertThatThrownBy(() -> copy(1)).hasMessageContaining("ABORTED").hasMessageContaining("write lock of shard 1 of trades");
            // the coordinator leader copies while it holds the lock itself, and does not ask the node to take it
            assertThat(copy(1, false).getRows()).isEqualTo(100);
        } finally {
            release.complete(null);
            writer.join(10_000);
        }
        assertThat(copy(1).getRows()).isEqualTo(100);
    }

    @Test
    void whileDrainingNewShardsAreRefusedButDropAndListWork() {
        create(TRADES, 0);
        fillSource(1, 10);
        draining.set(true);
        assertThatThrownBy(() -> create(TRADES, 2)).hasMessageContaining("FAILED_PRECONDITION").hasMessageContaining("draining");
        assertThatThrownBy(() -> copy(1)).hasMessageContaining("FAILED_PRECONDITION").hasMessageContaining("draining");
        assertThat(node.listShards(ListShardsRequest.getDefaultInstance()).getShardsCount()).isEqualTo(1);
        assertThat(node.dropShard(DropShardRequest.newBuilder().setTable("trades").setShard(0).build()).getDropped()).isTrue();
    }

    @Test
    void whileTheEngineIsDownCommandsAreUnavailableAndListShardsSaysSo() {
        ProcessHandle.of(local.status().pid()).ifPresent(ProcessHandle::destroyForcibly);
        await().atMost(Duration.ofSeconds(5)).until(() -> !local.status().up());
        assertThat(code(() -> create(TRADES, 0))).isEqualTo(Status.Code.UNAVAILABLE);
        assertThatThrownBy(() -> create(TRADES, 0)).hasMessageContaining("down");
        ListShardsResponse list = node.listShards(ListShardsRequest.getDefaultInstance());
        assertThat(list.getEngineUp()).isFalse();
        await().atMost(Duration.ofSeconds(10)).until(() -> local.status().up());
        assertThat(node.listShards(ListShardsRequest.getDefaultInstance()).getEngineRestarts()).isEqualTo(1);
        assertThat(create(TRADES, 0).getRows()).isZero();
        assertThat(local.client().execute("(count trades__0)")).isEqualTo(new I64Atom(0));
    }
}
