package io.rayforce.cluster.router.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.client.RayforceTCPError;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.Str;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Password auth as the engine does it: the handshake asks for credentials, only the part after
 * the first colon is checked, a refusal is one byte and a closed connection. Checked with the
 * Java client, rayforce-py's client and raw bytes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayAuthTest {
    private static final String PASSWORD = "s3cret";
    private GatewayFixture cluster;

    @BeforeAll
    void start() {
        cluster = new GatewayFixture(1, GatewayOptions.DEFAULT.withPassword(PASSWORD));
    }

    @AfterAll
    void stop() {
        cluster.close();
    }

    @Test
    void javaClientWithThePasswordIsServed() {
        try (TCPClient c = new TCPClient("127.0.0.1", cluster.port(), "alice", PASSWORD)) {
            assertThat(c.execute("(+ 1 2)")).isEqualTo(new I64Atom(3));
        }
    }

    @Test
    void javaClientWithAWrongPasswordIsRefused() {
        assertThatThrownBy(() -> new TCPClient("127.0.0.1", cluster.port(), "alice", "wrong"))
                .isInstanceOf(RayforceTCPError.class).hasMessageContaining("refused the password");
        assertThatThrownBy(() -> new TCPClient("127.0.0.1", cluster.port()))
                .isInstanceOf(RayforceTCPError.class).hasMessageContaining("requires a password");
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {":s3cret\0", ":s3cret", "s3cret\0", "s3cret", "bob:s3cret\0"})
    void credentialFormsTheEngineAcceptsAreAccepted(String credentials) throws IOException {
        try (RawConnection raw = new RawConnection("127.0.0.1", cluster.port())) {
            raw.write(3, 0);
            assertThat(raw.in.readUnsignedByte()).isEqualTo(3);
            assertThat(raw.in.readUnsignedByte()).as("auth required").isEqualTo(1);
            sendCredentials(raw, credentials);
            assertThat(raw.in.readUnsignedByte()).as("verdict").isZero();
            raw.sendSync(Str.of("(+ 40 2)"));
            assertThat(raw.readValue()).isEqualTo(new I64Atom(42));
        }
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {"", "a:b:s3cret\0", ":s3cret\0zz", ":s3cre", ":s3crett\0", "s3cret:"})
    void credentialFormsTheEngineRefusesAreRefusedAndClosed(String credentials) throws IOException {
        try (RawConnection raw = new RawConnection("127.0.0.1", cluster.port())) {
            raw.write(3, 0);
            raw.in.readFully(new byte[2]);
            sendCredentials(raw, credentials);
            assertThat(raw.in.readUnsignedByte()).as("verdict").isEqualTo(1);
            assertThat(raw.closedByPeer()).isTrue();
        }
    }

    @Test
    void rayforcePyClientAuthenticates() {
        assertThat(python(PASSWORD)).isEqualTo("OK 3");
        assertThat(python("nope")).startsWith("ERR");
    }

    @Test
    void passwordFileOptionsNeverPrintThePassword() {
        assertThat(GatewayOptions.DEFAULT.withPassword(PASSWORD).toString()).doesNotContain(PASSWORD).contains("***");
    }

    private static void sendCredentials(RawConnection raw, String credentials) throws IOException {
        byte[] c = credentials.getBytes(StandardCharsets.UTF_8);
        byte[] msg = new byte[1 + c.length];
        msg[0] = (byte) c.length;
        System.arraycopy(c, 0, msg, 1, c.length);
        raw.write(msg);
    }

    /** Connects with rayforce-py's TCPClient and the given password; "OK answer" or "ERR ...". */
    private String python(String password) {
        String out = PythonClient.run("127.0.0.1", cluster.port(), password, "print('OK', c.execute('(+ 1 2)').value)");
        return out.lines().reduce((a, b) -> b).orElse("");
    }
}
