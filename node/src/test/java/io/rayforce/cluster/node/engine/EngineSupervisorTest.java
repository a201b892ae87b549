package io.rayforce.cluster.node.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.engine.EngineBinary;
import io.rayforce.cluster.client.engine.NativeServer;
import io.rayforce.cluster.client.engine.ServerOptions;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.node.journal.JournalFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor runs a cluster node's engine: its journal keeps writes of cluster globals
 * ({@code t__0}, ...) and quarantines writes of any other global, so the tests write those.
 */
class EngineSupervisorTest {
    static final SupervisorSettings FAST = SupervisorSettings.DEFAULTS
            .withHealth(Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(2))
            .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(60))
            .withRequestTimeout(Duration.ofSeconds(30));

    @TempDir
    Path data;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private EngineSupervisor supervisor(SupervisorSettings settings) {
        EngineSupervisor s = new EngineSupervisor(null, ServerOptions.onPort(NativeServer.freePort()), data, settings);
        closeables.add(s);
        return s;
    }

    private static void kill9(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    private static void signal(long pid, String sig) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).start().waitFor()).isZero();
    }

    private static long count(EngineSupervisor s, String table) {
        return ((I64Atom) s.client().execute("(count " + table + ")")).value();
    }

    @Test
    void startsTheEngineWithItsJournalInTheDataDirectory() {
        EngineSupervisor s = supervisor(FAST);
        s.start();
        EngineStatus st = s.status();
        assertThat(st.state()).isEqualTo(EngineState.UP);
        assertThat(st.version()).matches("\\d+\\.\\d+\\.\\d+");
        assertThat(st.pid()).isPositive();
        assertThat(st.restarts()).isZero();
        assertThat(s.client().execute("(+ 1 2)")).isEqualTo(new I64Atom(3));
        assertThat(data.resolve("engine.log")).exists();
        assertThat(data.resolve("engine.pid")).hasContent(Long.toString(st.pid()));
        assertThatThrownBy(s::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aKilledEngineIsRestartedWithItsDataAndListenersHearIt() {
        EngineSupervisor s = supervisor(FAST);
        List<EngineStatus> seen = new CopyOnWriteArrayList<>();
        s.addListener(seen::add);
        s.start();
        s.client().execute("(count (set t__0 (table [id px] (list (til 1000) (* 1.5 (til 1000))))))");
        s.client().execute("(insert 't__0 (table [id px] (list [5000 5001] [1.0 2.0])))");
        long pid = s.status().pid();

        kill9(pid);
        await().atMost(Duration.ofSeconds(20)).until(() -> s.status().restarts() == 1 && s.status().up());
        assertThat(s.status().pid()).isNotEqualTo(pid);
        assertThat(s.status().lastProblem()).contains("exited").contains("signal 9");
        assertThat(count(s, "t__0")).isEqualTo(1002);
        assertThat(s.client().execute("(sum (at t__0 'id))")).isEqualTo(new I64Atom(499500 + 10001));
        assertThat(seen).extracting(EngineStatus::state)
                .containsSubsequence(EngineState.UP, EngineState.DOWN, EngineState.UP);
    }

    @Test
    void whileTheEngineIsDownRequestsFailFastAsUnavailable() {
        EngineSupervisor s = supervisor(FAST.withBackoff(Duration.ofSeconds(3), Duration.ofSeconds(3), Duration.ofSeconds(60)));
        s.start();
        kill9(s.status().pid());
        await().atMost(Duration.ofSeconds(5)).until(() -> s.status().state() == EngineState.DOWN);
        assertThatThrownBy(s::client).isInstanceOf(EngineUnavailableException.class)
                .hasMessageContaining("port " + s.port()).hasMessageContaining("down");
        await().atMost(Duration.ofSeconds(10)).until(() -> s.status().up());
        assertThat(s.client().execute("(+ 1 1)")).isEqualTo(new I64Atom(2));
    }

    @Test
    void aHungEngineIsKilledAndRestarted() throws Exception {
        EngineSupervisor s = supervisor(FAST);
        s.start();
        s.client().execute("(set x__0 42)");
        long pid = s.status().pid();
        signal(pid, "STOP");
        try {
            await().atMost(Duration.ofSeconds(15)).until(() -> s.status().restarts() == 1 && s.status().up());
        } finally {
            kill9(pid);
        }
        assertThat(s.status().lastProblem()).contains("answered no handshake");
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(s.client().execute("x__0")).isEqualTo(new I64Atom(42));
    }

    @Test
    void aSnapshotCompactsTheJournalDeletesArchivesAndIsReloadedOnRestart() {
        EngineSupervisor s = supervisor(FAST);
        s.start();
        s.client().execute("(count (set t__0 (table [id] (list (til 100000)))))");
        long before = s.journal().journalBytes();
        assertThat(before).isGreaterThan(JournalFiles.HEADER_BYTES);

        assertThat(s.snapshot()).isEqualTo(1);
        assertThat(data.resolve("engine.qdb")).exists();
        assertThat(s.journal().archives()).isEmpty();
        assertThat(s.journal().journalBytes()).isEqualTo(JournalFiles.HEADER_BYTES);

        s.client().execute("(insert 't__0 (table [id] (list [7])))");
        kill9(s.status().pid());
        await().atMost(Duration.ofSeconds(20)).until(() -> s.status().restarts() == 1 && s.status().up());
        assertThat(count(s, "t__0")).isEqualTo(100001);
    }

    @Test
    void aJournalPastTheSizeLimitIsSnapshottedAutomatically() {
        EngineSupervisor s = supervisor(FAST.withSnapshots(Duration.ofHours(1), 4096));
        s.start();
        for (int i = 0; i < 200; i++) {
            s.client().execute("(set k__" + i + " " + i + ")");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(data.resolve("engine.qdb")));
        await().atMost(Duration.ofSeconds(10)).until(() -> s.journal().archives().isEmpty()
                && s.journal().journalBytes() < 4096);
        assertThat(s.client().execute("k__199")).isEqualTo(new I64Atom(199));
    }

    @Test
    void closeStopsTheEngineAndANewSupervisorFindsTheData() {
        EngineSupervisor s = supervisor(FAST);
        s.start();
        s.client().execute("(count (set t__0 (table [a b] (list [1 2 3] [x y z]))))");
        long pid = s.status().pid();
        s.close();
        assertThat(s.status().state()).isEqualTo(EngineState.STOPPED);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(data.resolve("engine.pid")).doesNotExist();
        assertThatThrownBy(s::client).isInstanceOf(EngineUnavailableException.class).hasMessageContaining("stopped");

        EngineSupervisor again = supervisor(FAST);
        again.start();
        RayTable t = (RayTable) again.client().execute("t__0");
        assertThat(t.rowCount()).isEqualTo(3);
        assertThat(t.columnNames()).containsExactly("a", "b");
    }

    @Test
    void anEngineOrphanedByADeadAgentIsStoppedBeforeANewOneStarts() {
        int port = NativeServer.freePort();
        NativeServer orphan = NativeServer.start(ServerOptions.onPort(port).journal(data.resolve("engine").toAbsolutePath(), false));
        closeables.add(orphan);
        try (TCPClient c = new TCPClient("127.0.0.1", port)) {
            c.execute("(set left__0 7)");
        }
        new EnginePidFile(data.resolve("engine.pid"), data.resolve("engine")).write(orphan.pid());

        EngineSupervisor s = new EngineSupervisor(null, ServerOptions.onPort(port), data, FAST);
        closeables.add(s);
        s.start();
        assertThat(orphan.isAlive()).isFalse();
        assertThat(s.client().execute("left__0")).isEqualTo(new I64Atom(7));
    }

    @Test
    void aMissingEngineOrAPortInUseFailsTheFirstStartClearly() {
        EngineSupervisor missing = new EngineSupervisor(Path.of("/nonexistent/rayforce"), ServerOptions.onPort(NativeServer.freePort()),
                data.resolve("a"), FAST);
        closeables.add(missing);
        assertThatThrownBy(missing::start).isInstanceOf(EngineBinary.EngineNotFoundException.class)
                .hasMessageContaining("/nonexistent/rayforce");

        NativeServer other = NativeServer.startOnFreePort();
        closeables.add(other);
        EngineSupervisor taken = new EngineSupervisor(null, ServerOptions.onPort(other.port()), data.resolve("b"), FAST);
        closeables.add(taken);
        assertThatThrownBy(taken::start).isInstanceOf(NativeServer.PortInUseException.class)
                .hasMessageContaining("port " + other.port());
    }
}
