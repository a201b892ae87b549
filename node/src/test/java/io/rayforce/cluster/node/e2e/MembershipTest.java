package io.rayforce.cluster.node.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.coordinator.store.ClusterConnection;
import io.rayforce.cluster.coordinator.store.ClusterView;
import io.rayforce.cluster.coordinator.store.EmbeddedZooKeeper;
import io.rayforce.cluster.node.testing.NodeProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Node agents as real processes joining and leaving membership, gracefully and by SIGKILL. */
class MembershipTest {
    static final Duration SESSION = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    EmbeddedZooKeeper zk;
    ClusterConnection observer;
    ClusterView view;
    final List<NodeProcess> nodes = new ArrayList<>();

    @BeforeEach
    void start() {
        zk = EmbeddedZooKeeper.start();
        observer = ClusterConnection.connect(zk.connectString(), "members", Duration.ofSeconds(10));
        view = ClusterView.start(observer.curator());
    }

    @AfterEach
    void stop() {
        nodes.forEach(NodeProcess::close);
        view.close();
        observer.close();
        zk.close();
    }

    private NodeProcess node(String id) {
        NodeProcess n = NodeProcess.start(zk.connectString(), "members", id, dir.resolve(id), SESSION);
        nodes.add(n);
        return n;
    }

    private List<String> members() {
        return List.copyOf(view.snapshot().nodes().keySet());
    }

    @Test
    void nodesJoinLeaveOnSigtermAndAKilledNodeDisappearsWhenItsSessionExpires() {
        NodeProcess a = node("a");
        NodeProcess b = node("b");
        NodeProcess c = node("c");
        await().atMost(Duration.ofSeconds(10)).until(() -> members().equals(List.of("a", "b", "c")));
        assertThat(view.snapshot().node("b").orElseThrow().getIpcPort()).isEqualTo(b.ipcPort());

        List<ProcessHandle> aEngines = a.engines();
        assertThat(a.stop()).as("exit code after SIGTERM").isIn(0, 143);
        aEngines.forEach(e -> assertThat(e.isAlive()).isFalse());
        await().atMost(Duration.ofSeconds(2)).until(() -> members().equals(List.of("b", "c")));

        List<ProcessHandle> cEngines = c.engines();
        long killedAt = System.nanoTime();
        c.kill9();
        cEngines.forEach(e -> assertThat(e.isAlive()).isFalse());
        await().atMost(SESSION.multipliedBy(4)).until(() -> members().equals(List.of("b")));
        assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).as("left when its session expired, not at once")
                .isGreaterThan(Duration.ofMillis(500));

        NodeProcess again = node("c");
        await().atMost(Duration.ofSeconds(10)).until(() -> members().equals(List.of("b", "c")));
        try (TCPClient client = new TCPClient("127.0.0.1", again.ipcPort())) {
            assertThat(client.execute("(+ 1 1)")).isEqualTo(new I64Atom(2));
        }
    }
}
