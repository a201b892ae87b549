package io.rayforce.cluster.router.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import io.rayforce.cluster.client.ClientOptions;
import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.rayfall.DataPathGate;
import io.rayforce.cluster.client.rayfall.RayfallReader;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import io.rayforce.cluster.router.testing.LocalShards;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Units of work on real native engines: one answer per unit, failover on a lost replica or one
 * that lacks the shard, engine errors answered once and not retried, missing shards reported.
 */
class ExecutorTest {
    private LocalShards cluster;
    private NodeConnections connections;
    private Executor executor;

    @BeforeEach
    void load() {
        cluster = new LocalShards(3);
        cluster.createTable("t", "id", 3, 2, "id:i64", "v:i64");
        cluster.insert("t", RayTable.builder().column("id", I64Vector.of(LongStream.range(0, 30).toArray()))
                .column("v", I64Vector.of(LongStream.range(0, 30).map(i -> i * i).toArray())).build());
        connections = new NodeConnections(ClientOptions.DEFAULT.withConnectTimeout(Duration.ofSeconds(2)), 4);
        executor = new Executor(connections);
    }

    @AfterEach
    void stop() {
        connections.close();
        cluster.close();
    }

    private QueryContext ctx(boolean allowPartial) {
        return new QueryContext(cluster.snapshot(), Duration.ofSeconds(30), allowPartial);
    }

    private UnitId unit(QueryContext ctx, int shard) {
        return new UnitId("t", shard, ctx.epoch());
    }

    /** The replica a unit of {@code ctx} tries first, and its index among the nodes. */
    private int firstReplica(QueryContext ctx, int shard) {
        List<NodeInfo> replicas = cluster.snapshot().liveReplicas("t", shard);
        NodeInfo first = replicas.get((int) Math.floorMod(ctx.id() + shard, (long) replicas.size()));
        return Integer.parseInt(first.getId().substring(1));
    }

    private RayValue shardOn(int node, int shard) {
        return cluster.node(node).execute("t__" + shard);
    }

    @Test
    void everyUnitHasExactlyOneAnswerInUnitOrderEvenWhenHedged() {
        // hedging after 1 ms sends most units to a second replica too: the second answer must not count
        QueryContext ctx = new QueryContext(cluster.snapshot(), Duration.ofSeconds(30), false, Duration.ofMillis(1));
        List<UnitId> units = List.of(unit(ctx, 2), unit(ctx, 0), unit(ctx, 1));
        ShardResults r = executor.runAll(ctx, units, u -> Name.of(u.global())).join();
        assertThat(r.values()).hasSize(3);
        for (int i = 0; i < 3; i++) {
            int shard = units.get(i).shard();
            assertThat(r.values().get(i)).isEqualTo(shardOn((shard + 1) % 3, shard));
        }
        assertThat(r.duplicatesIgnored()).isZero();
    }

    @Test
    void aNameErrorIsTheAnswerWhenTheReplicaHoldsTheShard() {
        QueryContext ctx = ctx(false);
        RayValue typo = RayfallReader.read("(+ nosuch (count t__0))");
        assertThatThrownBy(() -> executor.run(ctx, unit(ctx, 0), typo).join()).cause()
                .isInstanceOf(RayforceEvaluationError.class).hasMessageContaining("a name in the query is not defined")
                .matches(e -> ((RayforceEvaluationError) e).code().equals("name"));
        assertThat(ctx.trace().attempts()).hasSize(1).first()
                .satisfies(a -> assertThat(a.outcome()).isEqualTo("engine error name"));
    }

    @Test
    void aNameErrorFromAReplicaThatLacksTheShardFailsOverToOneThatHoldsIt() {
        QueryContext ctx = ctx(false);
        int first = firstReplica(ctx, 0);
        int other = first == 0 ? 1 : 0;
        RayValue expected = shardOn(other, 0);
        cluster.node(first).execute("(del t__0)");
        RayValue got = executor.run(ctx, unit(ctx, 0), Name.of("t__0")).join();
        assertThat(got).isEqualTo(expected);
        assertThat(ctx.trace().attempts()).extracting(QueryTrace.Attempt::outcome)
                .containsExactly("failed: does not hold the shard at epoch " + ctx.epoch(), "ok");
        assertThat(ctx.trace().attempts().get(0).node()).startsWith("n" + first + " ");
    }

    @Test
    void otherEngineErrorsAreTheAnswerAndAreNotRetried() {
        QueryContext ctx = ctx(false);
        RayValue bad = RayfallReader.read("(+ (count t__1) 'a)");
        assertThatThrownBy(() -> executor.run(ctx, unit(ctx, 1), bad).join()).cause()
                .isInstanceOf(RayforceEvaluationError.class).hasMessageContaining("shard 1 of t on n")
                .matches(e -> ((RayforceEvaluationError) e).code().equals("type"));
        assertThat(ctx.trace().attempts()).extracting(QueryTrace.Attempt::outcome).containsExactly("engine error type");
    }

    @Test
    void aLostReplicaFailsOverToTheNext() {
        QueryContext ctx = ctx(false);
        int first = firstReplica(ctx, 2);
        int other = (2 + 1) % 3 == first ? 2 : (2 + 1) % 3;
        RayValue expected = shardOn(other, 2);
        cluster.nodes().get(first).kill();
        assertThat(executor.run(ctx, unit(ctx, 2), Name.of("t__2")).join()).isEqualTo(expected);
        List<QueryTrace.Attempt> attempts = ctx.trace().attempts();
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(0).outcome()).isNotEqualTo("ok");
        assertThat(attempts.get(1).outcome()).isEqualTo("ok");
    }

    /**
     * A replica whose engine takes the request and never answers, and whose port then takes no
     * connection (a node cut off after the request reached it): the unit goes to the next replica
     * once a probe of the node fails ({@link NodeReachability}), instead of at the query's timeout.
     */
    @Test
    void aReplicaThatFallsSilentAndTakesNoConnectionsIsLeftForTheNext() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> held = new CompletableFuture<>();
            Thread peer = new Thread(() -> {
                try (Socket s = silent.accept()) {
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    in.readFully(new byte[2]); // the handshake, answered as an engine without a password
                    s.getOutputStream().write(new byte[] {3, 0});
                    s.getOutputStream().flush();
                    silent.close(); // from now on the node takes no connection
                    held.join(); // and never answers
                } catch (IOException e) {
                    // the test ended
                }
            }, "silent-peer");
            peer.setDaemon(true);
            peer.start();
            QueryContext ctx = ctx(false);
            List<NodeInfo> live = cluster.snapshot().liveReplicas("t", 2);
            NodeInfo real = live.get(0);
            NodeInfo cutOff = live.get(1).toBuilder().setIpcPort(silent.getLocalPort()).build();
            // the executor starts at index (id + shard) mod 2: the silent replica is tried first
            List<NodeInfo> order = Math.floorMod(ctx.id() + 2, 2L) == 0 ? List.of(cutOff, real) : List.of(real, cutOff);
            try {
                RayValue got = executor.run(ctx, unit(ctx, 2), Name.of("t__2"), (snapshot, u) -> order).join();
                assertThat(got).isEqualTo(shardOn(Integer.parseInt(real.getId().substring(1)), 2));
                assertThat(ctx.trace().attempts()).extracting(QueryTrace.Attempt::outcome).hasSize(2).last().isEqualTo("ok");
                assertThat(ctx.trace().attempts().get(0).outcome()).startsWith("failed: ");
                assertThat(ctx.trace().attempts().get(0).node()).contains(":" + silent.getLocalPort());
            } finally {
                held.complete(null);
            }
        }
    }

    /**
     * A replica whose node froze after taking the request (its engine stopped with SIGSTOP, its
     * agent taking the health check and never answering, as in a paused container): the kernel
     * still completes TCP handshakes on the engine port, so only the agent's silence shows the node
     * is gone; the unit goes to the next replica instead of waiting for the query's timeout.
     */
    @Test
    void aReplicaWhoseNodeFrozeIsLeftForTheNext() throws Exception {
        Server frozenAgent = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
                .addService(new HealthGrpc.HealthImplBase() {
                    @Override
                    public void check(HealthCheckRequest request, StreamObserver<HealthCheckResponse> answer) {
                        // frozen: never answers
                    }
                }).build().start();
        QueryContext ctx = ctx(false);
        List<NodeInfo> live = cluster.snapshot().liveReplicas("t", 2);
        NodeInfo real = live.get(0);
        int frozenIndex = Integer.parseInt(live.get(1).getId().substring(1));
        NodeInfo frozen = live.get(1).toBuilder().setControlPort(frozenAgent.getPort()).build();
        List<NodeInfo> order = Math.floorMod(ctx.id() + 2, 2L) == 0 ? List.of(frozen, real) : List.of(real, frozen);
        // a pooled connection to the node, open before it froze (a new one would fail on its handshake)
        QueryContext warm = ctx(false);
        executor.run(warm, unit(warm, 2), Name.of("t__2"), (snapshot, u) -> List.of(frozen)).join();
        long pid = cluster.nodes().get(frozenIndex).pid();
        new ProcessBuilder("kill", "-STOP", Long.toString(pid)).start().waitFor();
        try {
            RayValue got = executor.run(ctx, unit(ctx, 2), Name.of("t__2"), (snapshot, u) -> order).join();
            assertThat(got).isEqualTo(shardOn(Integer.parseInt(real.getId().substring(1)), 2));
            assertThat(ctx.trace().attempts()).extracting(QueryTrace.Attempt::outcome).hasSize(2).last().isEqualTo("ok");
            assertThat(ctx.trace().attempts().get(0).node()).startsWith(frozen.getId() + " ");
            assertThat(ctx.trace().attempts().get(0).outcome()).as("it took the request").startsWith("failed: ");
            assertThat(ctx.remainingMillis()).as("well before the query's 30 s timeout").isGreaterThan(15_000);
        } finally {
            new ProcessBuilder("kill", "-CONT", Long.toString(pid)).start().waitFor();
            frozenAgent.shutdownNow();
        }
    }

    @Test
    void aUnitNoReplicaAnswersFailsTheQueryOrIsMissingWhenPartialResultsAreAllowed() {
        // shard 1 lives on n1 and n2
        cluster.nodes().get(1).kill();
        cluster.nodes().get(2).kill();
        QueryContext strict = ctx(false);
        assertThatThrownBy(() -> executor.run(strict, unit(strict, 1), Name.of("t__1")).join()).cause()
                .isInstanceOf(MissingShardsError.class).hasMessageStartingWith("no replica could answer for 1 shard(s): shard 1 of t (");
        QueryContext partial = ctx(true);
        List<UnitId> units = List.of(unit(partial, 0), unit(partial, 1));
        ShardResults r = executor.runAll(partial, units, u -> Name.of(u.global())).join();
        assertThat(r.values()).containsExactly(shardOn(0, 0));
        assertThat(partial.missing()).extracting(MissingShard::unit).containsExactly(unit(partial, 1));
    }

    @Test
    void aRequestThatWouldWriteIsRefusedBeforeAnyReplicaIsAsked() {
        QueryContext ctx = ctx(false);
        assertThatThrownBy(() -> executor.run(ctx, unit(ctx, 0), RayfallReader.read("(set t__0 1)")).join()).cause()
                .isInstanceOf(DataPathGate.Refusal.class);
        assertThat(ctx.trace().attempts()).isEmpty();
    }

    @Test
    void aCancelledQueryStopsItsUnits() {
        QueryContext ctx = ctx(false);
        ctx.cancel("client went away");
        assertThatThrownBy(() -> executor.run(ctx, unit(ctx, 0), Name.of("t__0")).join()).cause()
                .isInstanceOf(QueryCancelledError.class).hasMessageContaining("client went away");
    }
}
