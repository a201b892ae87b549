package io.rayforce.cluster.router.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rayforce.cluster.client.RayforceTCPError;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.Str;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway whose clients are the users of a users file (bcrypt hashes, roles): who is let in,
 * the engine's credential forms, reloading the file while running, the delay after repeated
 * failures (observed on the wire), and the metrics.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayUsersTest {
    @TempDir
    static Path dir;
    private Path users;
    private GatewayFixture cluster;
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

    @BeforeAll
    void start() {
        Metrics.addRegistry(metrics);
        users = dir.resolve("users");
        UsersFile.empty().with("alice", UsersFile.Role.READ_WRITE, bytes("alice-pw"), 4)
                .with("bob", UsersFile.Role.READ_ONLY, bytes("bob-pw"), 4).write(users);
        cluster = new GatewayFixture(1, GatewayOptions.DEFAULT.withUsersFile(users));
    }

    @AfterAll
    void stop() {
        cluster.close();
        Metrics.removeRegistry(metrics);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private TCPClient connect(String user, String password) {
        return new TCPClient("127.0.0.1", cluster.port(), user, password);
    }

    private double counter(String name) {
        return metrics.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    @Test
    void theUsersFileIsOwnerOnlyAndHoldsNoPassword() throws IOException {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(users))).isEqualTo("rw-------");
        assertThat(Files.readString(users)).doesNotContain("alice-pw", "bob-pw").contains("alice read-write $2b$04$");
        assertThat(UsersFile.read(users).toString()).doesNotContain("$2b$");
    }

    @Test
    void usersWithTheirPasswordAreServedOthersAreRefused() {
        double failuresBefore = counter("rfc.gateway.auth.failures");
        try (TCPClient alice = connect("alice", "alice-pw")) {
            assertThat(alice.execute("(+ 1 2)")).isEqualTo(new I64Atom(3));
        }
        assertThatThrownBy(() -> connect("alice", "bob-pw")).isInstanceOf(RayforceTCPError.class);
        assertThatThrownBy(() -> connect("nobody", "alice-pw")).isInstanceOf(RayforceTCPError.class);
        assertThatThrownBy(() -> connect("", "alice-pw")).isInstanceOf(RayforceTCPError.class);
        assertThat(counter("rfc.gateway.auth.failures")).isEqualTo(failuresBefore + 3);
        assertThat(counter("rfc.gateway.auth.successes")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void credentialsWithoutAUserOrWithANulInsideAreRefused() throws IOException {
        for (String creds : new String[] {"alice-pw\0", "alice:alice-pw\0zz", ""}) {
            try (RawConnection raw = new RawConnection("127.0.0.1", cluster.port())) {
                raw.write(3, 0);
                raw.in.readFully(new byte[2]);
                byte[] c = bytes(creds);
                byte[] msg = new byte[1 + c.length];
                msg[0] = (byte) c.length;
                System.arraycopy(c, 0, msg, 1, c.length);
                raw.write(msg);
                assertThat(raw.in.readUnsignedByte()).as(creds).isEqualTo(1);
                assertThat(raw.closedByPeer()).isTrue();
            }
        }
        try (RawConnection raw = new RawConnection("127.0.0.1", cluster.port())) {
            raw.write(3, 0);
            raw.in.readFully(new byte[2]);
            byte[] c = bytes("bob:bob-pw\0");
            byte[] msg = new byte[1 + c.length];
            msg[0] = (byte) c.length;
            System.arraycopy(c, 0, msg, 1, c.length);
            raw.write(msg);
            assertThat(raw.in.readUnsignedByte()).isZero();
            raw.sendSync(Str.of("(+ 40 2)"));
            assertThat(raw.readValue()).isEqualTo(new I64Atom(42));
        }
    }

    @Test
    void theFileIsReadAgainWhenItChanges() throws Exception {
        assertThatThrownBy(() -> connect("carol", "carol-pw")).isInstanceOf(RayforceTCPError.class);
        UsersFile.read(users).with("carol", UsersFile.Role.READ_WRITE, bytes("carol-pw"), 4).write(users);
        try (TCPClient carol = connect("carol", "carol-pw")) {
            assertThat(carol.execute("(+ 1 1)")).isEqualTo(new I64Atom(2));
        }
        Thread.sleep(20); // a new modification time
        UsersFile.read(users).without("carol").write(users);
        assertThatThrownBy(() -> connect("carol", "carol-pw")).isInstanceOf(RayforceTCPError.class);
    }

    @Test
    void repeatedFailuresAreDelayedAndASuccessResetsTheDelay() throws Exception {
        // a user of its own, so the other tests' failures do not count here
        UsersFile.read(users).with("dave", UsersFile.Role.READ_WRITE, bytes("dave-pw"), 4).write(users);
        for (int i = 0; i < 3; i++) {
            long t = timeToRefusal("dave", "wrong");
            assertThat(t).as("failure %d", i + 1).isLessThan(450);
        }
        assertThat(timeToRefusal("dave", "wrong")).as("after 3 failures").isBetween(480L, 950L);
        assertThat(timeToRefusal("dave", "wrong")).as("after 4 failures").isBetween(980L, 1900L);
        // the right password waits its turn too (2 s after 5 failures), then clears the count
        long t0 = System.nanoTime();
        try (TCPClient dave = connect("dave", "dave-pw")) {
            assertThat(dave.execute("(+ 2 2)")).isEqualTo(new I64Atom(4));
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isGreaterThanOrEqualTo(1900);
        assertThat(timeToRefusal("dave", "wrong")).as("after the success").isLessThan(450);
    }

    @Test
    void attemptsFiredTogetherAreSpacedOut() {
        UsersFile.read(users).with("erin", UsersFile.Role.READ_WRITE, bytes("erin-pw"), 4).write(users);
        for (int i = 0; i < 3; i++) {
            timeToRefusal("erin", "wrong");
        }
        long t0 = System.nanoTime();
        CompletableFuture<?>[] all = new CompletableFuture<?>[3];
        for (int i = 0; i < all.length; i++) {
            all[i] = CompletableFuture.runAsync(() -> timeToRefusal("erin", "wrong"));
        }
        CompletableFuture.allOf(all).join();
        // turns at 0.5 s, then +0.5 s, then +1 s (each failure doubles the next spacing) at the least
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isGreaterThanOrEqualTo(1400);
    }

    /** Milliseconds from connecting until the refusal. */
    private long timeToRefusal(String user, String password) {
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> connect(user, password)).isInstanceOf(RayforceTCPError.class);
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }
}
