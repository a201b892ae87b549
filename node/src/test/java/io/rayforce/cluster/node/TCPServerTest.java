package io.rayforce.cluster.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.rayforce.cluster.client.RayforceTCPError;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.engine.EngineBinary;
import io.rayforce.cluster.client.engine.NativeServer;
import io.rayforce.cluster.client.engine.ServerOptions;
import io.rayforce.cluster.client.value.I64Atom;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TCPServerTest {
    private final java.util.List<TCPServer> servers = new java.util.ArrayList<>();

    @AfterEach
    void stopAll() {
        servers.forEach(TCPServer::close);
    }

    private TCPServer server(int port) {
        TCPServer s = new TCPServer(port);
        servers.add(s);
        return s;
    }

    /** Runs listen() on a thread; the future completes when it returns (or with what it threw). */
    private static CompletableFuture<Void> listenInBackground(TCPServer server, AtomicBoolean interruptedAfter) {
        return listenOn(server, interruptedAfter, new AtomicReference<>());
    }

    private static CompletableFuture<Void> listenOn(TCPServer server, AtomicBoolean interruptedAfter, AtomicReference<Thread> thread) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                server.listen();
                interruptedAfter.set(Thread.currentThread().isInterrupted());
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, "listen-" + server.port());
        t.setDaemon(true);
        thread.set(t);
        t.start();
        return done;
    }

    private static void awaitAnswering(int port) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).ignoreExceptions().until(() -> {
            try (TCPClient c = new TCPClient("127.0.0.1", port)) {
                return c.execute("(+ 1 2)").equals(new I64Atom(3));
            }
        });
    }

    private static boolean portIsFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("0.0.0.0", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void toStringNamesThePortAsRayforcePyDoes() {
        assertThat(new TCPServer(5000)).hasToString("TCPServer(port=5000)");
        assertThat(new TCPServer(5000).port()).isEqualTo(5000);
    }

    @Test
    void invalidPortsAreRefused() {
        assertThatThrownBy(() -> new TCPServer(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1..65535");
        assertThatThrownBy(() -> new TCPServer(70000)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void listenServesClientsAndCloseStopsItAndFreesThePort() throws Exception {
        int port = NativeServer.freePort();
        TCPServer server = server(port);
        AtomicBoolean interrupted = new AtomicBoolean();
        CompletableFuture<Void> done = listenInBackground(server, interrupted);
        awaitAnswering(port);
        assertThat(server.isListening()).isTrue();
        long pid = server.pid().orElseThrow();
        assertThat(done).isNotDone();

        server.close();
        done.get(10, TimeUnit.SECONDS);
        assertThat(interrupted).isFalse();
        assertThat(server.isListening()).isFalse();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("engine reaped").isFalse();
        assertThat(portIsFree(port)).as("port free after listen() returned").isTrue();
        assertThatThrownBy(() -> new TCPClient("127.0.0.1", port)).isInstanceOf(RayforceTCPError.class);
        assertThat(server.lastExitCode()).isNull();
    }

    @Test
    void interruptingTheListeningThreadStopsTheServer() throws Exception {
        int port = NativeServer.freePort();
        TCPServer server = server(port);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicReference<Thread> listener = new AtomicReference<>();
        CompletableFuture<Void> done = listenOn(server, interrupted, listener);
        awaitAnswering(port);
        long pid = server.pid().orElseThrow();

        listener.get().interrupt();
        done.get(10, TimeUnit.SECONDS);
        assertThat(interrupted).as("interrupt flag restored").isTrue();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(portIsFree(port)).isTrue();
    }

    @Test
    void listenReturnsWhenTheEngineExitsByItself() throws Exception {
        int port = NativeServer.freePort();
        TCPServer server = server(port);
        CompletableFuture<Void> done = listenInBackground(server, new AtomicBoolean());
        awaitAnswering(port);
        try (TCPClient c = new TCPClient("127.0.0.1", port)) {
            c.submit("(exit 3)");
            done.get(10, TimeUnit.SECONDS);
        }
        assertThat(server.lastExitCode()).isEqualTo(3);
        assertThat(portIsFree(port)).isTrue();
    }

    @Test
    void aPortInUseGivesAClearError() throws Exception {
        int port = NativeServer.freePort();
        TCPServer first = server(port);
        CompletableFuture<Void> done = listenInBackground(first, new AtomicBoolean());
        awaitAnswering(port);

        TCPServer second = server(port);
        assertThatThrownBy(second::listen)
                .isInstanceOf(NativeServer.PortInUseException.class)
                .hasMessageContaining("port " + port)
                .hasMessageContaining("in use");
        assertThat(second.isListening()).isFalse();
        assertThat(done).as("the first server is unaffected").isNotDone();
        first.close();
        done.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aMissingEngineGivesAClearError() {
        TCPServer server = new TCPServer(ServerOptions.onPort(NativeServer.freePort()), Path.of("/nonexistent/rayforce"));
        assertThatThrownBy(server::listen)
                .isInstanceOf(EngineBinary.EngineNotFoundException.class)
                .hasMessageContaining("/nonexistent/rayforce")
                .hasMessageContaining("install-engine");
        assertThat(server.isListening()).isFalse();
    }

    @Test
    void aClosedServerCannotListenAndListeningTwiceIsRefused() throws Exception {
        TCPServer closed = server(NativeServer.freePort());
        closed.close();
        assertThatThrownBy(closed::listen).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");

        int port = NativeServer.freePort();
        TCPServer server = server(port);
        CompletableFuture<Void> done = listenInBackground(server, new AtomicBoolean());
        awaitAnswering(port);
        assertThatThrownBy(server::listen).isInstanceOf(IllegalStateException.class).hasMessageContaining("already listening");
        server.close();
        done.get(10, TimeUnit.SECONDS);
    }

    @Test
    void closeWhileStartingStopsTheEngineOnceItIsUp() throws Exception {
        int port = NativeServer.freePort();
        TCPServer server = server(port);
        CompletableFuture<Void> done = listenInBackground(server, new AtomicBoolean());
        await().atMost(Duration.ofSeconds(5)).until(server::isListening);
        server.close();
        done.get(20, TimeUnit.SECONDS);
        assertThat(server.isListening()).isFalse();
        await().atMost(Duration.ofSeconds(5)).until(() -> portIsFree(port));
    }
}
