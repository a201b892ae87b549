package io.rayforce.cluster.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.grpc.ManagedChannel;
import io.rayforce.cluster.client.ClientOptions;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.engine.NativeServer;
import io.rayforce.cluster.client.engine.ServerOptions;
import io.rayforce.cluster.coordinator.proto.ControlServiceGrpc;
import io.rayforce.cluster.coordinator.proto.ListShardsRequest;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.coordinator.proto.NodeServiceGrpc;
import io.rayforce.cluster.coordinator.proto.RebalanceRequest;
import io.rayforce.cluster.coordinator.security.AccessToken;
import io.rayforce.cluster.coordinator.security.ClusterSecret;
import io.rayforce.cluster.coordinator.security.ClusterSecurity;
import io.rayforce.cluster.coordinator.security.GrpcChannels;
import io.rayforce.cluster.coordinator.security.GrpcTls;
import io.rayforce.cluster.coordinator.security.SecretFiles;
import io.rayforce.cluster.coordinator.server.Coordinator;
import io.rayforce.cluster.coordinator.server.CoordinatorConfig;
import io.rayforce.cluster.coordinator.store.ClusterConnection;
import io.rayforce.cluster.coordinator.store.EmbeddedZooKeeper;
import io.rayforce.cluster.coordinator.testing.TestCertificates;
import io.rayforce.cluster.node.NodeAgent;
import io.rayforce.cluster.node.NodeConfig;
import io.rayforce.cluster.node.engine.SupervisorSettings;
import io.rayforce.cluster.router.ClusterClient;
import io.rayforce.cluster.router.ZooKeeperPlacement;
import io.rayforce.cluster.router.gateway.Gateway;
import io.rayforce.cluster.router.gateway.GatewayOptions;
import io.rayforce.cluster.router.gateway.UsersFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Secrets never show: a whole secured cluster runs in this JVM (ZooKeeper, a coordinator with TLS
 * and an admin token, a node agent with a real engine, a router and a gateway with users) while
 * every log event is captured, our own code at DEBUG. Authentication then succeeds and fails on
 * every link (gateway users, the node's engine, gRPC with and without tokens, ZooKeeper with a
 * wrong or no secret), the engine is killed and restarted, and the admin CLI prints status. No
 * secret (the cluster secret, every value derived from it, the admin token, user passwords and
 * their hashes) may appear in a log line, an exception message, a toString() or the CLI's output.
 */
class SecretsHygieneTest {
    static final SupervisorSettings FAST = SupervisorSettings.DEFAULTS
            .withHealth(Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(5))
            .withBackoff(Duration.ofMillis(300), Duration.ofSeconds(2), Duration.ofSeconds(60));
    static final String CLUSTER = "hygiene";
    static final String ALICE_PASSWORD = "alice-correct-horse-battery";

    @TempDir
    static Path dir;
    static final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    static final List<String> seen = new ArrayList<>();
    static final Set<String> secrets = new LinkedHashSet<>();
    static final List<Level> oldLevels = new ArrayList<>();
    static ClusterSecret secret;
    static ClusterSecurity security;
    static TestCertificates ca;
    static Path tokenFile;
    static EmbeddedZooKeeper zk;
    static Coordinator coordinator;
    static NodeAgent node;
    static ClusterClient router;
    static Gateway gateway;

    @BeforeAll
    static void start() throws Exception {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        logs.setContext(ctx);
        logs.start();
        ctx.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(logs);
        for (String[] l : new String[][] {{"io.rayforce", "DEBUG"}, {"org.apache.zookeeper", "INFO"},
            {"org.apache.curator", "INFO"}, {"io.grpc", "INFO"}}) {
            Logger logger = ctx.getLogger(l[0]);
            oldLevels.add(logger.getLevel());
            logger.setLevel(Level.toLevel(l[1]));
        }
        Path secretFile = dir.resolve("cluster.secret");
        assertThat(run(0, "secret", "generate", secretFile.toString())).isNotEmpty();
        tokenFile = dir.resolve("admin.token");
        run(0, "secret", "generate", tokenFile.toString());
        secret = ClusterSecret.read(secretFile);
        secrets.add(Files.readString(secretFile).strip());
        secrets.add(Files.readString(tokenFile).strip());
        secrets.add(secret.internalToken());
        secrets.add(secret.zooKeeperCredentials().password());
        secrets.add(ALICE_PASSWORD);
        ca = TestCertificates.authority("hygiene", dir);
        TestCertificates.Issued cert = ca.issue("member");
        security = new ClusterSecurity(secret, GrpcTls.member(cert.cert(), cert.key(), ca.caFile(), GrpcTls.ClientAuth.NONE),
                AccessToken.read(tokenFile));

        zk = EmbeddedZooKeeper.start();
        node = NodeAgent.start(NodeConfig.builder(zk.connectString(), CLUSTER, dir.resolve("n1")).nodeId("n1").supervisor(FAST)
                .sessionTimeout(Duration.ofSeconds(4)).capacityBytes(1L << 30).cores(1).controlBind("127.0.0.1")
                .security(security.withAdminToken(null)).build());
        coordinator = Coordinator.start(CoordinatorConfig.defaults(zk.connectString()).withCluster(CLUSTER)
                .withSessionTimeout(Duration.ofSeconds(6)).withSecurity(security));
        await().atMost(Duration.ofSeconds(30)).until(() -> coordinator.isLeader() && coordinator.view().snapshot().nodes().size() == 1);
        router = ClusterClient.connect(zk.connectString(), CLUSTER, security.withAdminToken(null));
        await().atMost(Duration.ofSeconds(30)).until(() -> ((ZooKeeperPlacement) router.placement()).view().snapshot().nodes().size() == 1);
        Path users = dir.resolve("users");
        UsersFile file = UsersFile.empty().with("alice", UsersFile.Role.READ_WRITE, ALICE_PASSWORD.getBytes(StandardCharsets.UTF_8), 4);
        file.write(users);
        secrets.add(file.find("alice").orElseThrow().hash());
        gateway = new Gateway(router, GatewayOptions.DEFAULT.withUsersFile(users)).start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        router.close();
        coordinator.close();
        node.close();
        zk.close();
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(logs);
        String[] names = {"io.rayforce", "org.apache.zookeeper", "org.apache.curator", "io.grpc"};
        for (int i = 0; i < names.length; i++) {
            ctx.getLogger(names[i]).setLevel(oldLevels.get(i));
        }
    }

    static String run(int exit, String... args) {
        String out = AdminCommandsTest.run(exit, args);
        seen.add(out);
        return out;
    }

    /** Runs {@code action}, expecting a failure, and keeps its messages (the whole cause chain). */
    static void failing(ThrowingRunnable action) {
        try {
            action.run();
        } catch (Throwable t) {
            for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
                seen.add(c.toString());
            }
            return;
        }
        throw new AssertionError("expected a failure");
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    static String enginePasswordNow() {
        NodeInfo info = router.placement().snapshot().node("n1").orElseThrow();
        String pw = secret.enginePassword("n1", info.getBootNonce());
        secrets.add(pw);
        return pw;
    }

    @Test
    void noSecretAppearsAnywhereWhileEveryLinkIsUsedAndRefused() throws Exception {
        // gateway: a user served, then refused with a wrong password and as an unknown user
        try (TCPClient alice = new TCPClient("127.0.0.1", gateway.port(), "alice", ALICE_PASSWORD)) {
            alice.execute("(.cluster.create 'notes (table [id txt] (list [1 2 3] [a b c])) 'id 2 1)");
            assertThat(alice.execute("(count (select {from: notes}))").toString()).contains("3");
        }
        failing(() -> new TCPClient("127.0.0.1", gateway.port(), "alice", ALICE_PASSWORD + "x"));
        failing(() -> new TCPClient("127.0.0.1", gateway.port(), "mallory", ALICE_PASSWORD));

        // the node's engine: without, with a wrong, and with its password
        String pw = enginePasswordNow();
        failing(() -> new TCPClient("127.0.0.1", node.ipcPort()));
        failing(() -> new TCPClient("127.0.0.1", node.ipcPort(), "rfc", secret.internalToken()));
        try (TCPClient c = new TCPClient("127.0.0.1", node.ipcPort(), ClientOptions.DEFAULT.withCredentials("rfc", pw))) {
            assertThat(c.execute("(+ 1 2)").toString()).contains("3");
        }
        // the engine dies and comes back with a new password; the supervisor logs what it printed
        String oldNonce = node.engine().bootNonce();
        ProcessHandle.of(node.engine().status().pid()).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(20)).until(() -> !node.engine().bootNonce().equals(oldNonce) && node.engine().status().up());
        await().atMost(Duration.ofSeconds(20)).until(() -> router.placement().snapshot().node("n1")
                .map(n -> n.getBootNonce().equals(node.engine().bootNonce())).orElse(false));
        enginePasswordNow();
        try (TCPClient alice = new TCPClient("127.0.0.1", gateway.port(), "alice", ALICE_PASSWORD)) {
            assertThat(alice.execute("(count (select {from: notes}))").toString()).contains("3");
        }
        // an engine that cannot start (its port is taken) reports its output, not its password
        failing(() -> NativeServer.start(ServerOptions.onPort(node.ipcPort()).password("engine-start-secret-1234567")));
        secrets.add("engine-start-secret-1234567");

        // gRPC: no token, a wrong one, the members' token, plaintext; the node's service without a token
        ManagedChannel tls = GrpcChannels.open("127.0.0.1", coordinator.port(), GrpcTls.client(ca.caFile()), null);
        ManagedChannel wrong = GrpcChannels.open("127.0.0.1", coordinator.port(), GrpcTls.client(ca.caFile()), "wrong-token-value");
        ManagedChannel member = GrpcChannels.open("127.0.0.1", coordinator.port(), GrpcTls.client(ca.caFile()), secret.internalToken());
        ManagedChannel plain = GrpcChannels.open("127.0.0.1", coordinator.port(), null, Files.readString(tokenFile).strip());
        ManagedChannel nodeChannel = GrpcChannels.open("127.0.0.1", node.controlPort(), GrpcTls.client(ca.caFile()), null);
        try {
            RebalanceRequest dry = RebalanceRequest.newBuilder().setDryRun(true).build();
            failing(() -> ControlServiceGrpc.newBlockingStub(tls).withDeadlineAfter(10, TimeUnit.SECONDS).rebalance(dry));
            failing(() -> ControlServiceGrpc.newBlockingStub(wrong).withDeadlineAfter(10, TimeUnit.SECONDS).rebalance(dry));
            failing(() -> ControlServiceGrpc.newBlockingStub(plain).withDeadlineAfter(10, TimeUnit.SECONDS).rebalance(dry));
            failing(() -> NodeServiceGrpc.newBlockingStub(nodeChannel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .listShards(ListShardsRequest.getDefaultInstance()));
            ControlServiceGrpc.newBlockingStub(member).withDeadlineAfter(10, TimeUnit.SECONDS).rebalance(dry);
        } finally {
            for (ManagedChannel ch : List.of(tls, wrong, member, plain, nodeChannel)) {
                ch.shutdownNow();
            }
        }

        // ZooKeeper: no secret, and another secret
        failing(() -> ClusterConnection.connect(zk.connectString(), CLUSTER, Duration.ofSeconds(4)));
        failing(() -> ClusterConnection.connect(zk.connectString(), CLUSTER, Duration.ofSeconds(4),
                ClusterSecurity.of(ClusterSecret.generate())));

        // the admin CLI: status and describe served, a change refused without the token and made with it
        String address = coordinator.address();
        String caFile = ca.caFile().toString();
        run(0, "status", "--coordinator", address, "--tls-ca", caFile);
        run(0, "status", "--json", "--coordinator", address, "--tls-ca", caFile);
        run(0, "table", "describe", "notes", "--coordinator", address, "--tls-ca", caFile);
        run(1, "table", "drop", "notes", "--coordinator", address, "--tls-ca", caFile);
        run(0, "table", "drop", "notes", "--coordinator", address, "--tls-ca", caFile, "--token-file", tokenFile.toString());

        // every settings object a member holds
        seen.add(security.toString());
        seen.add(secret.toString());
        seen.add(secret.zooKeeperCredentials().toString());
        seen.add(coordinator.config().toString());
        seen.add(node.config().toString());
        seen.add(node.toString());
        seen.add(node.engine().toString());
        seen.add(GatewayOptions.DEFAULT.withPassword(ALICE_PASSWORD).toString());
        seen.add(ServerOptions.onPort(5000).password(pw).toString());
        seen.add(ClientOptions.DEFAULT.withCredentials("rfc", pw).toString());
        seen.add(UsersFile.read(dir.resolve("users")).toString());
        seen.add(UsersFile.read(dir.resolve("users")).users().toString());
        seen.add(router.placement().snapshot().nodes().toString());

        for (ILoggingEvent e : List.copyOf(logs.list)) {
            seen.add(e.getLoggerName() + " " + e.getFormattedMessage()
                    + (e.getThrowableProxy() == null ? "" : "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy())));
        }
        assertThat(logs.list).as("log events captured").hasSizeGreaterThan(20);
        assertThat(String.join("\n", seen)).as("the refusals were logged")
                .contains("gateway refused user 'alice'", "gateway refused user 'mallory'", "needs a token",
                        "is not accepted", "belongs to other credentials", "is protected");
        assertThat(secrets).hasSizeGreaterThanOrEqualTo(9).allSatisfy(s -> assertThat(s).hasSizeGreaterThanOrEqualTo(16));
        for (String text : seen) {
            for (String s : secrets) {
                assertThat(text).as("a secret shows in:%n%s", text).doesNotContain(s);
            }
        }
    }

    @Test
    void theEngineWithAPasswordStillCannotBeReachedWithoutIt() {
        assertThatThrownBy(() -> new TCPClient("127.0.0.1", node.ipcPort())).hasMessageContaining("requires a password");
    }
}
