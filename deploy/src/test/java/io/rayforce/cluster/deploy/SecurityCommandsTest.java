package io.rayforce.cluster.deploy;

import static io.rayforce.cluster.deploy.AdminCommandsTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.rayforce.cluster.coordinator.security.AccessToken;
import io.rayforce.cluster.coordinator.security.ClusterSecret;
import io.rayforce.cluster.coordinator.security.ClusterSecurity;
import io.rayforce.cluster.coordinator.security.GrpcTls;
import io.rayforce.cluster.coordinator.security.SecretFiles;
import io.rayforce.cluster.coordinator.server.Coordinator;
import io.rayforce.cluster.coordinator.store.ClusterConnection;
import io.rayforce.cluster.coordinator.store.PlacementStore;
import io.rayforce.cluster.coordinator.testing.InMemoryNodeAgent;
import io.rayforce.cluster.coordinator.testing.TestCertificates;
import io.rayforce.cluster.coordinator.testing.TestCluster;
import io.rayforce.cluster.coordinator.testing.TestZooKeeper;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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
 * The security commands and flags of {@code rfc}: {@code rfc secret generate}, {@code rfc user
 * add|remove|list}, and the admin commands against a real coordinator with TLS, the cluster
 * secret and an admin token (with in-memory node agents of the same secured cluster): refused
 * without the CA, with a wrong CA, without or with a wrong token, each in one clear line; served
 * with them, from flags and from the environment. No output ever shows a secret.
 */
class SecurityCommandsTest {
    @TempDir
    static Path dir;
    static TestCertificates ca;
    static TestCertificates rogue;
    static Path tokenFile;
    static Path wrongTokenFile;
    static String token;
    static ClusterSecret secret;
    static Coordinator coordinator;
    static String address;
    static final List<InMemoryNodeAgent> nodes = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        ca = TestCertificates.authority("admin", dir);
        rogue = TestCertificates.authority("rogue", dir);
        TestCertificates.Issued cert = ca.issue("coordinator");
        tokenFile = dir.resolve("admin.token");
        SecretFiles.write(tokenFile, SecretFiles.randomText(32), false);
        token = Files.readString(tokenFile).strip();
        wrongTokenFile = dir.resolve("wrong.token");
        SecretFiles.write(wrongTokenFile, SecretFiles.randomText(32), false);
        secret = ClusterSecret.generate();
        ClusterSecurity security = new ClusterSecurity(secret, GrpcTls.member(cert.cert(), cert.key(), ca.caFile(),
                GrpcTls.ClientAuth.NONE), AccessToken.read(tokenFile));
        String cluster = TestZooKeeper.freshCluster();
        for (String id : List.of("n1", "n2")) {
            nodes.add(InMemoryNodeAgent.start(id, cluster, TestZooKeeper.connectString(), ClusterSecurity.of(secret)
                    .withTls(security.tls())));
        }
        coordinator = Coordinator.start(new TestCluster(Duration.ofSeconds(30)).config().withCluster(cluster).withSecurity(security));
        address = coordinator.address();
        await().atMost(Duration.ofSeconds(15)).until(() -> coordinator.isLeader() && coordinator.view().snapshot().nodes().size() == 2);
    }

    @AfterAll
    static void stop() {
        coordinator.close();
        nodes.forEach(InMemoryNodeAgent::close);
    }

    private static void assertNoSecret(String output) {
        assertThat(output).doesNotContain(token, secret.internalToken(), secret.zooKeeperCredentials().password());
    }

    @Test
    void secretGenerateWritesAnOwnerOnlyFileAndPrintsOnlyItsFingerprint() throws Exception {
        Path f = dir.resolve("cluster.secret");
        String out = run(0, "secret", "generate", f.toString());
        String text = Files.readString(f).strip();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        assertThat(out).contains("wrote a new secret to " + f, ClusterSecret.read(f).fingerprint()).doesNotContain(text);
        assertThat(run(1, "secret", "generate", f.toString())).contains("exists already");
        assertThat(Files.readString(f).strip()).isEqualTo(text);
        run(0, "secret", "generate", "--force", f.toString());
        assertThat(Files.readString(f).strip()).isNotEqualTo(text);
    }

    private static String withStdin(String input, int exit, String... args) {
        InputStream old = System.in;
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        try {
            return run(exit, args);
        } finally {
            System.setIn(old);
        }
    }

    @Test
    void userCommandsManageTheUsersFileWithoutEverShowingPasswordsOrHashes() throws Exception {
        Path users = dir.resolve("users");
        String file = users.toString();
        assertThat(withStdin("alice-secret-pw\n", 0, "user", "add", "alice", "--users-file", file, "--cost", "4"))
                .contains("added user alice (read-write)");
        assertThat(withStdin("bob-secret-pw\n", 0, "user", "add", "bob", "--read-only", "--users-file", file, "--cost", "4"))
                .contains("added user bob (read-only)");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(users))).isEqualTo("rw-------");
        String content = Files.readString(users);
        assertThat(content).doesNotContain("alice-secret-pw", "bob-secret-pw");
        String list = run(0, "user", "list", "--users-file", file);
        assertThat(list).contains("alice read-write", "bob read-only").doesNotContain("$2b$");
        assertThat(withStdin("alice-new-pw\n", 0, "user", "add", "alice", "--read-only", "--users-file", file, "--cost", "4"))
                .contains("updated user alice (read-only)");
        assertThat(run(0, "user", "remove", "bob", "--users-file", file)).contains("removed user bob");
        assertThat(run(0, "user", "list", "--users-file", file)).contains("alice read-only").doesNotContain("bob");
        assertThat(run(1, "user", "remove", "bob", "--users-file", file)).contains("no user bob");
        assertThat(withStdin("", 1, "user", "add", "carol", "--users-file", file)).contains("no password on stdin");
        assertThat(withStdin("pw\n", 1, "user", "add", "bad name", "--users-file", file)).contains("invalid user name");
        assertThat(run(1, "user", "list")).contains("--users-file");
    }

    @Test
    void readsNeedTheCaAndTlsProblemsAreOneClearLine() {
        String ok = run(0, "status", "--coordinator", address, "--tls-ca", ca.caFile().toString());
        assertThat(ok).contains("n1", "n2");
        assertNoSecret(ok);
        String plain = run(1, "status", "--coordinator", address, "--timeout", "10s");
        assertThat(plain.strip()).startsWith("status failed: UNAVAILABLE").contains("--tls-ca").doesNotContain("\n");
        String wrongCa = run(1, "status", "--coordinator", address, "--tls-ca", rogue.caFile().toString(), "--timeout", "10s");
        assertThat(wrongCa.strip()).startsWith("status failed: UNAVAILABLE: the TLS handshake with " + address + " failed")
                .doesNotContain("\n");
        assertThat(run(1, "status", "--coordinator", address, "--tls-ca", dir.resolve("missing.pem").toString()))
                .contains("status failed: the TLS CA file").contains("does not exist");
    }

    @Test
    void changesNeedTheAdminToken() {
        String tls = ca.caFile().toString();
        String none = run(1, "table", "create", "t1", "--columns", "id:i64", "--shard-key", "id", "--shards", "2",
                "--replication", "1", "--coordinator", address, "--tls-ca", tls);
        // (the coordinator runs in this JVM: its own log line about the refusal may come first)
        assertThat(none).contains("create table t1 failed: UNAUTHENTICATED", "needs a token", "--token-file");
        String wrong = run(1, "table", "create", "t1", "--columns", "id:i64", "--shard-key", "id", "--coordinator", address,
                "--tls-ca", tls, "--token-file", wrongTokenFile.toString());
        assertThat(wrong).contains("UNAUTHENTICATED", "is not accepted");
        String created = run(0, "table", "create", "t1", "--columns", "id:i64", "--shard-key", "id", "--shards", "2",
                "--replication", "1", "--coordinator", address, "--tls-ca", tls, "--token-file", tokenFile.toString());
        assertThat(created).contains("t1");
        assertThat(run(0, "rebalance", "--dry-run", "--coordinator", address, "--tls-ca", tls, "--token-file", tokenFile.toString()))
                .containsAnyOf("balanced", "would move");
        assertThat(run(0, "node", "drain", "n1", "--undrain", "--coordinator", address, "--tls-ca", tls, "--token-file",
                tokenFile.toString())).contains("node n1 takes new shards again");
        assertThat(run(1, "node", "drain", "n1", "--undrain", "--coordinator", address, "--tls-ca", tls))
                .contains("drain of node n1 failed: UNAUTHENTICATED");
        String dropped = run(0, "table", "drop", "t1", "--coordinator", address, "--tls-ca", tls, "--token-file", tokenFile.toString());
        assertThat(dropped).contains("dropped table t1");
        for (String out : List.of(none, wrong, created, dropped)) {
            assertNoSecret(out);
        }
    }

    @Test
    void theCaAndTheTokenComeFromTheEnvironmentToo() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                Rfc.class.getName(), "rebalance", "--dry-run").redirectErrorStream(true);
        pb.environment().put("RFC_COORDINATOR", address);
        pb.environment().put("RFC_TLS_CA", ca.caFile().toString());
        pb.environment().put("RFC_ADMIN_TOKEN", token);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).containsAnyOf("balanced", "would move");
        assertNoSecret(out);
    }

    @Test
    void membersWithUnusableSecuritySettingsFailInOneLine() throws Exception {
        Path shortSecret = dir.resolve("short.secret");
        Files.writeString(shortSecret, "c2hvcnQ=\n");
        String coord = run(1, "coordinator", "--zookeeper", TestZooKeeper.connectString(), "--port", "0",
                "--cluster-secret-file", dir.resolve("nope.secret").toString());
        assertThat(coord).contains("cannot read the cluster secret file").doesNotContain("\tat ");
        String node = run(1, "node", "--zookeeper", TestZooKeeper.connectString(), "--data", dir.resolve("nd").toString(),
                "--cluster-secret-file", shortSecret.toString());
        assertThat(node).contains("rfc node:", "at least 32").doesNotContain("\tat ");
        String gateway = run(2, "gateway", "--zookeeper", TestZooKeeper.connectString(), "--password-file", tokenFile.toString(),
                "--users-file", dir.resolve("users").toString());
        assertThat(gateway).contains("do not go together");
        String auth = run(1, "coordinator", "--zookeeper", TestZooKeeper.connectString(), "--port", "0",
                "--tls-client-auth", "require");
        assertThat(auth).contains("needs TLS");
    }

    @Test
    void secretApplySecuresAnOpenClusterAndMovesItToANewSecret() throws Exception {
        String cluster = TestZooKeeper.freshCluster();
        try (ClusterConnection open = TestZooKeeper.connect(cluster)) {
            PlacementStore.ensureLayout(open.curator());
            open.curator().create().forPath("/tables/t1", "x".getBytes(StandardCharsets.UTF_8));
        }
        Path a = dir.resolve("a.secret");
        Path b = dir.resolve("b.secret");
        run(0, "secret", "generate", a.toString());
        run(0, "secret", "generate", b.toString());
        String zk = TestZooKeeper.connectString();
        assertThat(run(0, "secret", "apply", "--zookeeper", zk, "--cluster", cluster, "--cluster-secret-file", a.toString()))
                .contains("znode(s) now belong to the members of the secret with fingerprint " + ClusterSecret.read(a).fingerprint());
        assertThatThrownBy(() -> TestZooKeeper.connect(cluster)).hasMessageContaining("is protected");
        try (ClusterConnection withA = connect(cluster, a)) {
            assertThat(withA.curator().getData().forPath("/tables/t1")).isEqualTo("x".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(run(1, "secret", "apply", "--zookeeper", zk, "--cluster", cluster, "--cluster-secret-file", b.toString()))
                .contains("belong to another secret", "--old-secret-file");
        run(0, "secret", "apply", "--zookeeper", zk, "--cluster", cluster, "--cluster-secret-file", b.toString(),
                "--old-secret-file", a.toString());
        assertThatThrownBy(() -> connect(cluster, a)).hasMessageContaining("belongs to other credentials");
        try (ClusterConnection withB = connect(cluster, b)) {
            assertThat(withB.curator().getData().forPath("/tables/t1")).isEqualTo("x".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(run(1, "secret", "apply", "--zookeeper", zk, "--cluster", "nosuch", "--cluster-secret-file", b.toString()))
                .contains("there is no cluster nosuch");
    }

    private static ClusterConnection connect(String cluster, Path secretFile) {
        return ClusterConnection.connect(TestZooKeeper.connectString(), cluster, Duration.ofSeconds(4),
                ClusterSecurity.of(ClusterSecret.read(secretFile)));
    }
}
