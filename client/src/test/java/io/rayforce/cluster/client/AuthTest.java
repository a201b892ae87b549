package io.rayforce.cluster.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.client.engine.NativeServer;
import io.rayforce.cluster.client.engine.ServerOptions;
import io.rayforce.cluster.client.value.I64Atom;
import org.junit.jupiter.api.Test;

/** Password handshakes against engines started with -u and -U. */
class AuthTest {

    @Test
    void passwordAcceptedAndRejected() {
        try (NativeServer server = NativeServer.startOnFreePort(ServerOptions.onPort(1).password("s3cret"))) {
            try (TCPClient ok = new TCPClient(server.host(), server.port(), "alice", "s3cret")) {
                assertThat(ok.execute("(+ 1 2)")).isEqualTo(new I64Atom(3));
            }
            assertThatThrownBy(() -> new TCPClient(server.host(), server.port(), "alice", "wrong"))
                    .isInstanceOf(RayforceTCPError.class).hasMessageContaining("refused the password for user 'alice'")
                    .hasMessageNotContaining("wrong");
            assertThatThrownBy(() -> new TCPClient(server.host(), server.port()))
                    .isInstanceOf(RayforceTCPError.class).hasMessageContaining("requires a password");
        }
    }

    @Test
    void restrictedClientsMayReadButNotWrite() {
        try (NativeServer server = NativeServer.startOnFreePort(ServerOptions.onPort(1).restrictedPassword("pw"));
             TCPClient client = new TCPClient(server.host(), server.port(), "", "pw")) {
            assertThat(client.execute("(+ 1 2)")).isEqualTo(new I64Atom(3));
            assertThatThrownBy(() -> client.execute("(set x 1)"))
                    .isInstanceOfSatisfying(RayforceEvaluationError.class, e -> assertThat(e.code()).isEqualTo("access"));
        }
    }

    @Test
    void passwordsNeverShowInOptionsText() {
        assertThat(ClientOptions.DEFAULT.withCredentials("bob", "hunter2").toString()).doesNotContain("hunter2");
        assertThat(ServerOptions.onPort(5000).password("hunter2").toString()).doesNotContain("hunter2");
    }
}
