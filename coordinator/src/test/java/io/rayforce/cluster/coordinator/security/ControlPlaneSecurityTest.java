package io.rayforce.cluster.coordinator.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rayforce.cluster.coordinator.proto.ColumnSpec;
import io.rayforce.cluster.coordinator.proto.ControlServiceGrpc;
import io.rayforce.cluster.coordinator.proto.CreateTableRequest;
import io.rayforce.cluster.coordinator.proto.DescribeClusterRequest;
import io.rayforce.cluster.coordinator.proto.DropTableRequest;
import io.rayforce.cluster.coordinator.proto.ListShardsRequest;
import io.rayforce.cluster.coordinator.proto.NodeServiceGrpc;
import io.rayforce.cluster.coordinator.proto.RebalanceRequest;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.coordinator.server.Coordinator;
import io.rayforce.cluster.coordinator.testing.InMemoryNodeAgent;
import io.rayforce.cluster.coordinator.testing.TestCertificates;
import io.rayforce.cluster.coordinator.testing.TestCluster;
import io.rayforce.cluster.coordinator.testing.TestZooKeeper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator's control plane secured, over real gRPC with real TLS on loopback: a coordinator
 * with a certificate, the cluster secret and an admin token, and two in-memory node agents of the
 * same secured cluster (their NodeService checks the members' token, so every command the leader
 * sends them proves it carries it). Plaintext, a wrong CA, no token or a wrong token are refused
 * with clear statuses; the right CA and token are served. A second coordinator requires mutual TLS.
 */
class ControlPlaneSecurityTest {
    @TempDir
    static Path dir;
    private static final String ADMIN_TOKEN = SecretFiles.randomText(32);
    private static final ClusterSecret SECRET = ClusterSecret.generate();
    private static final SimpleMeterRegistry METRICS = new SimpleMeterRegistry();
    private static TestCertificates ca;
    private static TestCertificates rogue;
    private static TestCertificates.Issued server;
    private static String cluster;
    private static Coordinator coordinator;
    private static Coordinator mutual;
    private static final List<InMemoryNodeAgent> nodes = new ArrayList<>();
    private static final List<ManagedChannel> channels = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Metrics.addRegistry(METRICS);
        ca = TestCertificates.authority("cluster", dir);
        rogue = TestCertificates.authority("rogue", dir);
        server = ca.issue("coordinator");
        cluster = TestZooKeeper.freshCluster();
        ClusterSecurity security = new ClusterSecurity(SECRET, GrpcTls.member(server.cert(), server.key(), ca.caFile(),
                GrpcTls.ClientAuth.NONE), AccessToken.of(ADMIN_TOKEN));
        ClusterSecurity members = ClusterSecurity.of(SECRET).withTls(GrpcTls.member(server.cert(), server.key(), ca.caFile(),
                GrpcTls.ClientAuth.NONE));
        for (String id : List.of("n1", "n2")) {
            nodes.add(InMemoryNodeAgent.start(id, cluster, TestZooKeeper.connectString(), members));
        }
        coordinator = Coordinator.start(new TestCluster(Duration.ofSeconds(30)).config().withCluster(cluster).withSecurity(security));
        mutual = Coordinator.start(new TestCluster(Duration.ofSeconds(30)).config().withCluster(cluster)
                .withSecurity(security.withTls(GrpcTls.member(server.cert(), server.key(), ca.caFile(), GrpcTls.ClientAuth.REQUIRE))));
        await().atMost(Duration.ofSeconds(15)).until(() -> (coordinator.isLeader() || mutual.isLeader())
                && coordinator.view().snapshot().nodes().size() == 2);
    }

    @AfterAll
    static void stop() {
        channels.forEach(ManagedChannel::shutdownNow);
        mutual.close();
        coordinator.close();
        nodes.forEach(InMemoryNodeAgent::close);
        Metrics.removeRegistry(METRICS);
    }

    private static ControlServiceGrpc.ControlServiceBlockingStub client(Coordinator c, GrpcTls tls, String token) {
        ManagedChannel ch = GrpcChannels.open("127.0.0.1", c.port(), tls, token);
        channels.add(ch);
        return ControlServiceGrpc.newBlockingStub(ch).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    private static Status statusOf(Function<ControlServiceGrpc.ControlServiceBlockingStub, ?> call,
                                   ControlServiceGrpc.ControlServiceBlockingStub stub) {
        try {
            call.apply(stub);
            return Status.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus();
        }
    }

    private static final Function<ControlServiceGrpc.ControlServiceBlockingStub, ?> DESCRIBE =
            s -> s.describeCluster(DescribeClusterRequest.getDefaultInstance());
    private static final Function<ControlServiceGrpc.ControlServiceBlockingStub, ?> DRY_REBALANCE =
            s -> s.rebalance(RebalanceRequest.newBuilder().setDryRun(true).build());

    private static double failures() {
        return METRICS.find("rfc.grpc.auth.failures").tag("service", "ControlService").counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    @Test
    void plaintextAndAWrongCaAreRefused() {
        Status plain = statusOf(DESCRIBE, client(coordinator, null, ADMIN_TOKEN));
        assertThat(plain.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        Status wrongCa = statusOf(DESCRIBE, client(coordinator, GrpcTls.client(rogue.caFile()), ADMIN_TOKEN));
        assertThat(wrongCa.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(String.valueOf(wrongCa.getCause())).contains("SSLHandshakeException");
    }

    @Test
    void readsNeedTlsButNoToken() {
        assertThat(statusOf(DESCRIBE, client(coordinator, GrpcTls.client(ca.caFile()), null)).getCode()).isEqualTo(Status.Code.OK);
    }

    @Test
    void mutationsNeedTheAdminOrTheMembersToken() {
        double before = failures();
        Status none = statusOf(DRY_REBALANCE, client(coordinator, GrpcTls.client(ca.caFile()), null));
        assertThat(none.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(none.getDescription()).contains("needs a token", "authorization: Bearer", "RFC_ADMIN_TOKEN");
        Status wrong = statusOf(DRY_REBALANCE, client(coordinator, GrpcTls.client(ca.caFile()), "not-the-token"));
        assertThat(wrong.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(wrong.getDescription()).contains("is not accepted").doesNotContain("not-the-token", ADMIN_TOKEN);
        assertThat(failures()).isEqualTo(before + 2);
        assertThat(statusOf(DRY_REBALANCE, client(coordinator, GrpcTls.client(ca.caFile()), ADMIN_TOKEN)).getCode())
                .isEqualTo(Status.Code.OK);
        assertThat(statusOf(DRY_REBALANCE, client(coordinator, GrpcTls.client(ca.caFile()), SECRET.internalToken())).getCode())
                .isEqualTo(Status.Code.OK);
    }

    @Test
    void aTableIsCreatedThroughEverySecuredLinkAndDropped() {
        ControlServiceGrpc.ControlServiceBlockingStub admin = client(coordinator, GrpcTls.client(ca.caFile()), ADMIN_TOKEN);
        TableSpec spec = TableSpec.newBuilder().setName("secure_t").addColumns(ColumnSpec.newBuilder().setName("id").setType("i64"))
                .setShardKey("id").setShardCount(4).setReplicationFactor(2).build();
        // the leader asks both nodes to CreateShard: their NodeService refuses calls without the members' token
        TablePlacement p = admin.createTable(CreateTableRequest.newBuilder().setSpec(spec).build());
        assertThat(p.getShardsCount()).isEqualTo(4);
        assertThat(nodes.stream().mapToLong(n -> n.commands.stream().filter(c -> c.startsWith("create secure_t")).count()).sum())
                .isEqualTo(8);
        assertThat(admin.dropTable(DropTableRequest.newBuilder().setName("secure_t").build()).getDropped()).isTrue();
    }

    @Test
    void mutualTlsRefusesAClientWithoutACertificateAndServesOneWithIt() {
        Status noCert = statusOf(DESCRIBE, client(mutual, GrpcTls.client(ca.caFile()), null));
        assertThat(noCert.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        TestCertificates.Issued operator = ca.issue("operator");
        GrpcTls withCert = new GrpcTls(operator.cert(), operator.key(), ca.caFile(), GrpcTls.ClientAuth.NONE);
        assertThat(statusOf(DESCRIBE, client(mutual, withCert, null)).getCode()).isEqualTo(Status.Code.OK);
        assertThat(statusOf(DRY_REBALANCE, client(mutual, withCert, ADMIN_TOKEN)).getCode()).isEqualTo(Status.Code.OK);
        TestCertificates.Issued stranger = rogue.issue("stranger");
        GrpcTls rogueCert = new GrpcTls(stranger.cert(), stranger.key(), ca.caFile(), GrpcTls.ClientAuth.NONE);
        assertThat(statusOf(DESCRIBE, client(mutual, rogueCert, null)).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    }

    @Test
    void aNodeRefusesCommandsWithoutTheMembersToken() {
        InMemoryNodeAgent n = nodes.get(0);
        ManagedChannel ch = GrpcChannels.open("127.0.0.1", n.info().getControlPort(), GrpcTls.client(ca.caFile()), null);
        channels.add(ch);
        assertThatThrownBy(() -> NodeServiceGrpc.newBlockingStub(ch)
                .listShards(ListShardsRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        assertThatThrownBy(() -> NodeServiceGrpc.newBlockingStub(ch)
                .withInterceptors(GrpcChannels.bearer(ADMIN_TOKEN))
                .listShards(ListShardsRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
    }
}
