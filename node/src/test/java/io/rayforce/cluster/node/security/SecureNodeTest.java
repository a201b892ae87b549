package io.rayforce.cluster.node.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.rayforce.cluster.client.ClientOptions;
import io.rayforce.cluster.client.RayforceTCPError;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.coordinator.proto.ColumnSpec;
import io.rayforce.cluster.coordinator.proto.CopyShardRequest;
import io.rayforce.cluster.coordinator.proto.CreateShardRequest;
import io.rayforce.cluster.coordinator.proto.ListShardsRequest;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.coordinator.proto.NodeServiceGrpc;
import io.rayforce.cluster.coordinator.proto.ShardInfo;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.coordinator.security.ClusterSecret;
import io.rayforce.cluster.coordinator.security.ClusterSecurity;
import io.rayforce.cluster.coordinator.security.GrpcChannels;
import io.rayforce.cluster.coordinator.security.GrpcTls;
import io.rayforce.cluster.coordinator.store.ClusterConnection;
import io.rayforce.cluster.coordinator.store.ClusterView;
import io.rayforce.cluster.coordinator.store.EmbeddedZooKeeper;
import io.rayforce.cluster.coordinator.testing.TestCertificates;
import io.rayforce.cluster.node.NodeAgent;
import io.rayforce.cluster.node.NodeConfig;
import io.rayforce.cluster.node.engine.SupervisorSettings;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Node agents of a secured cluster, with real engines, a real ZooKeeper and real TLS: each engine
 * runs with a per-boot password derived from the cluster secret and listens only on the node's
 * address; a client without that password is refused and one with it is served; the password
 * changes when the engine restarts; the data directory is owner-only; the NodeService takes
 * commands only with the members' token (and, on a node asking for it, only over mutual TLS);
 * and a shard copies between two secured nodes.
 */
class SecureNodeTest {
    static final SupervisorSettings FAST = SupervisorSettings.DEFAULTS
            .withHealth(Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(5))
            .withBackoff(Duration.ofMillis(300), Duration.ofSeconds(2), Duration.ofSeconds(60));
    static final TableSpec NOTES = TableSpec.newBuilder().setName("notes")
            .addColumns(ColumnSpec.newBuilder().setName("id").setType("i64"))
            .addColumns(ColumnSpec.newBuilder().setName("txt").setType("symbol"))
            .setShardKey("id").setShardCount(2).setReplicationFactor(2).build();

    @TempDir
    static Path dir;
    static final ClusterSecret SECRET = ClusterSecret.generate();
    static EmbeddedZooKeeper zk;
    static TestCertificates ca;
    static ClusterSecurity members;
    static NodeAgent n1;
    static NodeAgent n2;
    static ClusterConnection observer;
    static ClusterView view;
    static final List<ManagedChannel> channels = new ArrayList<>();

    @BeforeAll
    static void start() {
        zk = EmbeddedZooKeeper.start();
        ca = TestCertificates.authority("nodes", dir);
        TestCertificates.Issued cert = ca.issue("member");
        members = ClusterSecurity.of(SECRET).withTls(GrpcTls.member(cert.cert(), cert.key(), ca.caFile(), GrpcTls.ClientAuth.NONE));
        n1 = NodeAgent.start(config("n1").security(members.withTls(GrpcTls.member(cert.cert(), cert.key(), ca.caFile(),
                GrpcTls.ClientAuth.REQUIRE))).build());
        n2 = NodeAgent.start(config("n2").security(members).build());
        observer = ClusterConnection.connect(zk.connectString(), "secure", Duration.ofSeconds(10), members);
        view = ClusterView.start(observer.curator());
    }

    static NodeConfig.Builder config(String id) {
        return NodeConfig.builder(zk.connectString(), "secure", dir.resolve(id)).nodeId(id).supervisor(FAST)
                .sessionTimeout(Duration.ofSeconds(4)).capacityBytes(1L << 30).controlBind("127.0.0.1");
    }

    @AfterAll
    static void stop() {
        channels.forEach(ManagedChannel::shutdownNow);
        view.close();
        observer.close();
        n1.close();
        n2.close();
        zk.close();
    }

    static NodeInfo registered(NodeAgent n) {
        await().atMost(Duration.ofSeconds(10)).until(() -> view.snapshot().node(n.nodeId())
                .map(i -> i.getBootNonce().equals(n.engine().bootNonce()) && i.getEngineUp()).orElse(false));
        return view.snapshot().node(n.nodeId()).orElseThrow();
    }

    static TCPClient engineClient(NodeAgent n, String password) {
        ClientOptions o = ClientOptions.DEFAULT.withConnectTimeout(Duration.ofSeconds(3));
        return new TCPClient("127.0.0.1", n.ipcPort(), password == null ? o : o.withCredentials("rfc", password));
    }

    @Test
    void theEngineRefusesClientsWithoutItsDerivedPasswordAndServesItsMembers() {
        NodeInfo info = registered(n2);
        assertThat(info.getBootNonce()).hasSize(32);
        assertThatThrownBy(() -> engineClient(n2, null)).isInstanceOf(RayforceTCPError.class)
                .hasMessageContaining("requires a password");
        assertThatThrownBy(() -> engineClient(n2, "guess")).isInstanceOf(RayforceTCPError.class)
                .hasMessageContaining("refused the password");
        assertThatThrownBy(() -> engineClient(n2, ClusterSecret.generate().enginePassword("n2", info.getBootNonce())))
                .isInstanceOf(RayforceTCPError.class);
        try (TCPClient c = engineClient(n2, SECRET.enginePassword("n2", info.getBootNonce()))) {
            assertThat(((I64Atom) c.execute("(+ 1 2)")).value()).isEqualTo(3);
        }
        // the supervisor's bare handshake probe keeps the password-protected engine UP, with no restart
        assertThat(n2.engine().status().up()).isTrue();
        assertThat(n2.engine().status().restarts()).isZero();
    }

    @Test
    void theEngineListensOnlyOnTheNodesAddress() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", n1.ipcPort()), 2000);
        }
        // 127.0.0.2 reaches this host too, but the engine is bound to 127.0.0.1 only
        assertThatThrownBy(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.2", n1.ipcPort()), 2000);
            }
        }).isInstanceOf(ConnectException.class);
    }

    @Test
    void theDataDirectoryIsOwnerOnly() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(n1.engine().dataDir()))).isEqualTo("rwx------");
    }

    @Test
    void aRestartedEngineHasANewPasswordAndTheOldOneNoLongerWorks() throws Exception {
        NodeInfo before = registered(n1);
        String oldPassword = SECRET.enginePassword("n1", before.getBootNonce());
        ProcessHandle.of(n1.engine().status().pid()).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(20)).until(() -> view.snapshot().node("n1")
                .map(i -> i.getEngineUp() && !i.getBootNonce().equals(before.getBootNonce())).orElse(false));
        NodeInfo after = registered(n1);
        assertThatThrownBy(() -> engineClient(n1, oldPassword)).isInstanceOf(RayforceTCPError.class);
        try (TCPClient c = engineClient(n1, SECRET.enginePassword("n1", after.getBootNonce()))) {
            assertThat(((I64Atom) c.execute("(* 6 7)")).value()).isEqualTo(42);
        }
    }

    private static NodeServiceGrpc.NodeServiceBlockingStub nodeService(NodeAgent n, GrpcTls tls, String token) {
        ManagedChannel ch = GrpcChannels.open("127.0.0.1", n.controlPort(), tls, token);
        channels.add(ch);
        return NodeServiceGrpc.newBlockingStub(ch).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    private static Status.Code codeOf(Runnable call) {
        try {
            call.run();
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    @Test
    void theNodeServiceTakesCommandsOnlyFromMembers() {
        GrpcTls caOnly = GrpcTls.client(ca.caFile());
        ListShardsRequest list = ListShardsRequest.getDefaultInstance();
        assertThat(codeOf(() -> nodeService(n2, null, SECRET.internalToken()).listShards(list))).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(codeOf(() -> nodeService(n2, caOnly, null).listShards(list))).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(codeOf(() -> nodeService(n2, caOnly, ClusterSecret.generate().internalToken()).listShards(list)))
                .isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(codeOf(() -> nodeService(n2, caOnly, SECRET.internalToken()).listShards(list))).isEqualTo(Status.Code.OK);
        // n1 asks for mutual TLS: the members' token alone is not enough without a client certificate
        assertThat(codeOf(() -> nodeService(n1, caOnly, SECRET.internalToken()).listShards(list))).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(codeOf(() -> nodeService(n1, members.tls(), SECRET.internalToken()).listShards(list))).isEqualTo(Status.Code.OK);
    }

    @Test
    void aShardCopiesBetweenSecuredNodes() {
        NodeInfo source = registered(n2);
        NodeServiceGrpc.NodeServiceBlockingStub toN2 = nodeService(n2, members.tls(), SECRET.internalToken());
        toN2.createShard(CreateShardRequest.newBuilder().setSpec(NOTES).setShard(1).build());
        try (TCPClient c = engineClient(n2, SECRET.enginePassword("n2", source.getBootNonce()))) {
            c.execute("(insert 'notes__1 (list [1 2 3] [a b c] [10 11 12]))");
        }
        NodeServiceGrpc.NodeServiceBlockingStub toN1 = nodeService(n1, members.tls(), SECRET.internalToken());
        CopyShardRequest.Builder copy = CopyShardRequest.newBuilder().setSpec(NOTES).setShard(1).setSourceNodeId("n2")
                .setSourceHost(source.getHost()).setSourceIpcPort(source.getIpcPort());
        // without the source's boot nonce the copying node derives a wrong password: the source refuses it
        assertThat(codeOf(() -> toN1.copyShard(copy.build()))).isEqualTo(Status.Code.UNAVAILABLE);
        ShardInfo copied = toN1.copyShard(copy.setSourceBootNonce(source.getBootNonce()).build());
        assertThat(copied.getRows()).isEqualTo(3);
    }
}
