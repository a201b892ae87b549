package io.rayforce.cluster.router.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.RayforceTCPError;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.coordinator.security.ClusterSecret;
import io.rayforce.cluster.coordinator.security.ClusterSecurity;
import io.rayforce.cluster.coordinator.security.GrpcTls;
import io.rayforce.cluster.coordinator.server.Coordinator;
import io.rayforce.cluster.coordinator.server.CoordinatorConfig;
import io.rayforce.cluster.coordinator.store.EmbeddedZooKeeper;
import io.rayforce.cluster.coordinator.store.ZooKeeperUnavailableException;
import io.rayforce.cluster.coordinator.testing.TestCertificates;
import io.rayforce.cluster.node.NodeAgent;
import io.rayforce.cluster.node.NodeConfig;
import io.rayforce.cluster.node.engine.SupervisorSettings;
import io.rayforce.cluster.router.ClusterClient;
import io.rayforce.cluster.router.ZooKeeperPlacement;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A whole secured cluster from the real parts: an embedded ZooKeeper with members-only znodes, a
 * coordinator with a TLS certificate, two node agents whose engines have per-boot passwords
 * derived from the cluster secret, a router ({@link ClusterClient}) that knows the secret, and a
 * gateway with a users file. The read-write user creates, loads and queries tables (so every
 * link between the parts passed its check); the read-only user reads and is refused every write
 * with {@code access}, from the Java client and from rayforce-py; a router without the secret
 * cannot even join.
 */
class SecureGatewayClusterTest {
    static final SupervisorSettings FAST = SupervisorSettings.DEFAULTS
            .withHealth(Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(5))
            .withBackoff(Duration.ofMillis(300), Duration.ofSeconds(2), Duration.ofSeconds(60));
    static final String CLUSTER = "secure";

    @TempDir
    static Path dir;
    static EmbeddedZooKeeper zk;
    static Coordinator coordinator;
    static final List<NodeAgent> nodes = new ArrayList<>();
    static ClusterClient router;
    static Gateway gateway;

    @BeforeAll
    static void start() throws Exception {
        ClusterSecret secret = ClusterSecret.generate();
        TestCertificates ca = TestCertificates.authority("secure", dir);
        TestCertificates.Issued cert = ca.issue("member");
        ClusterSecurity security = ClusterSecurity.of(secret)
                .withTls(GrpcTls.member(cert.cert(), cert.key(), ca.caFile(), GrpcTls.ClientAuth.REQUIRE));
        zk = EmbeddedZooKeeper.start();
        for (String id : List.of("n1", "n2")) {
            nodes.add(NodeAgent.start(NodeConfig.builder(zk.connectString(), CLUSTER, dir.resolve(id)).nodeId(id).supervisor(FAST)
                    .sessionTimeout(Duration.ofSeconds(4)).capacityBytes(1L << 30).cores(1).controlBind("127.0.0.1")
                    .security(security).build()));
        }
        coordinator = Coordinator.start(CoordinatorConfig.defaults(zk.connectString()).withCluster(CLUSTER)
                .withSessionTimeout(Duration.ofSeconds(6)).withSecurity(security));
        await().atMost(Duration.ofSeconds(30)).until(() -> coordinator.isLeader() && coordinator.view().snapshot().nodes().size() == 2);
        router = ClusterClient.connect(zk.connectString(), CLUSTER, security);
        await().atMost(Duration.ofSeconds(30)).until(() -> ((ZooKeeperPlacement) router.placement()).view().snapshot().nodes().size() == 2);
        Path users = dir.resolve("users");
        UsersFile.empty().with("alice", UsersFile.Role.READ_WRITE, bytes("alice-pw"), 4)
                .with("bob", UsersFile.Role.READ_ONLY, bytes("bob-pw"), 4).write(users);
        gateway = new Gateway(router, GatewayOptions.DEFAULT.withUsersFile(users)).start("127.0.0.1", 0);
        try (TCPClient alice = connect("alice", "alice-pw")) {
            alice.execute("(.cluster.create 'trades (table [id sym px] (list [1 2 3 4] [A B A C] [1.5 2.0 3.5 4.0])) 'sym 4 2)");
        }
    }

    @AfterAll
    static void stop() {
        gateway.close();
        router.close();
        coordinator.close();
        nodes.forEach(NodeAgent::close);
        zk.close();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static TCPClient connect(String user, String password) {
        return new TCPClient("127.0.0.1", gateway.port(), user, password);
    }

    static long count(TCPClient c) {
        return ((I64Atom) c.execute("(count (select {from: trades}))")).value();
    }

    @Test
    void theReadWriteUserWritesAndReadsThroughEverySecuredLink() {
        try (TCPClient alice = connect("alice", "alice-pw")) {
            long before = count(alice);
            alice.execute("(insert 'trades (list 10 'D 9.5))");
            assertThat(count(alice)).isEqualTo(before + 1);
            RayTable t = (RayTable) alice.execute("(select {from: trades where: (== id 10)})");
            assertThat(t.rowCount()).isEqualTo(1);
            alice.execute("(delete {from: 'trades where: (== id 10)})");
            assertThat(count(alice)).isEqualTo(before);
        }
    }

    @Test
    void wrongPasswordsAndUnknownUsersAreRefused() {
        assertThatThrownBy(() -> connect("alice", "bob-pw")).isInstanceOf(RayforceTCPError.class)
                .hasMessageContaining("refused the password");
        assertThatThrownBy(() -> connect("mallory", "alice-pw")).isInstanceOf(RayforceTCPError.class);
        assertThatThrownBy(() -> new TCPClient("127.0.0.1", gateway.port())).isInstanceOf(RayforceTCPError.class)
                .hasMessageContaining("requires a password");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "(insert 'trades (list 11 'E 1.0))",
        "(upsert 'trades 1 (list [1] [A] [9.0]))",
        "(update {px: (* px 2) from: 'trades where: (> px 2.0)})",
        "(delete {from: 'trades where: (== sym 'B)})",
        "(set big (select {from: trades where: (> px 1.0)}))",
        "(count (set big (select {from: trades})))",
        "(.cluster.create 'other (table [a] (list [1 2])) 'a 2 1)",
        "(.cluster.createReplicated 'dim (table [a] (list [1 2])))",
        "(.cluster.load 'trades (table [id sym px] (list [12] [F] [1.0])))",
        "(.cluster.drop 'trades)",
        "(do (+ 1 2) (insert 'trades (list 13 'G 1.0)))"})
    void theReadOnlyUserIsRefusedEveryWriteWithAccess(String write) {
        try (TCPClient bob = connect("bob", "bob-pw")) {
            long before = count(bob);
            assertThatThrownBy(() -> bob.execute(write)).isInstanceOfSatisfying(RayforceEvaluationError.class,
                    e -> assertThat(e.code()).isEqualTo("access"));
            assertThat(bob.execute("(.cluster.lastError)").toString()).contains("user 'bob' may only read");
            assertThat(count(bob)).isEqualTo(before);
            assertThat(((RayTable) bob.execute("(.cluster.tables)")).rowCount()).isEqualTo(1);
        }
    }

    /** A global function that writes, defined by the read-write user: the read-only user may not call it, even through another. */
    @Test
    void theReadOnlyUserMayNotCallAFunctionThatWrites() {
        try (TCPClient alice = connect("alice", "alice-pw"); TCPClient bob = connect("bob", "bob-pw")) {
            alice.execute("(set addrow (fn [x] (insert 'trades x)))");
            alice.execute("(set viaother (fn [x] (+ 0 (count (addrow x)))))");
            alice.execute("(set pureone (fn [x] (* x 2)))");
            long before = count(bob);
            for (String call : new String[] {"(addrow (list 14 'H 1.0))", "(viaother (list 15 'I 1.0))",
                "(list 1 (addrow (list 16 'J 1.0)))"}) {
                assertThatThrownBy(() -> bob.execute(call)).as(call).isInstanceOfSatisfying(RayforceEvaluationError.class,
                        e -> assertThat(e.code()).isEqualTo("access"));
                assertThat(bob.execute("(.cluster.lastError)").toString()).contains("user 'bob' may only read")
                        .contains("(it writes)");
            }
            assertThat(count(bob)).isEqualTo(before);
            assertThat(bob.execute("(pureone 21)")).isEqualTo(I64Atom.of(42));
            assertThat(alice.execute("(viaother (list 17 'K 1.0))")).isEqualTo(I64Atom.of(1));
            assertThat(count(alice)).isEqualTo(before + 1);
            alice.execute("(delete {from: 'trades where: (== id 17)})");
        }
    }

    @Test
    void theReadOnlyUserReadsAndSeesTheClusterFunctionsThatOnlyRead() {
        try (TCPClient bob = connect("bob", "bob-pw")) {
            RayTable t = (RayTable) bob.execute("(select {n: (count id) by: sym from: trades})");
            assertThat(t.rowCount()).isGreaterThan(0);
            assertThat(bob.execute("(.cluster.describe 'trades)")).isNotNull();
            assertThat(bob.execute("(.cluster.status)")).isNotNull();
        }
    }

    @Test
    void rayforcePyUsersAuthenticateAndTheReadOnlyOneCannotWrite() {
        String alice = PythonClient.runAs("127.0.0.1", gateway.port(), "alice", "alice-pw",
                "print('OK', c.execute('(count (select {from: trades}))').value)");
        assertThat(alice).contains("OK ");
        String bob = PythonClient.runAs("127.0.0.1", gateway.port(), "bob", "bob-pw",
                "print('READ', c.execute('(count (select {from: trades}))').value)",
                "try:",
                "    c.execute(\"(insert 'trades (list 20 'Z 1.0))\")",
                "    print('WROTE')",
                "except Exception as e:",
                "    print('REFUSED', type(e).__name__, e)");
        assertThat(bob).contains("READ ").contains("REFUSED").contains("access").doesNotContain("WROTE");
        assertThat(PythonClient.runAs("127.0.0.1", gateway.port(), "bob", "wrong", "print('OK')")).startsWith("ERR");
    }

    @Test
    void aRouterWithoutTheSecretCannotJoin() {
        assertThatThrownBy(() -> ClusterClient.connect(zk.connectString(), CLUSTER))
                .isInstanceOf(ZooKeeperUnavailableException.class).hasMessageContaining("is protected");
        assertThatThrownBy(() -> ClusterClient.connect(zk.connectString(), CLUSTER, ClusterSecurity.of(ClusterSecret.generate())))
                .isInstanceOf(ZooKeeperUnavailableException.class).hasMessageContaining("other credentials");
    }
}
