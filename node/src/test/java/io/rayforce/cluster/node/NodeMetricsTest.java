package io.rayforce.cluster.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rayforce.cluster.client.engine.NativeServer;
import io.rayforce.cluster.client.engine.ServerOptions;
import io.rayforce.cluster.node.engine.EngineSupervisor;
import io.rayforce.cluster.node.engine.SupervisorSettings;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node's meters read its real engine: up, restarts after a kill, the journal's size, snapshots taken. */
class NodeMetricsTest {
    private static final SupervisorSettings FAST = SupervisorSettings.DEFAULTS
            .withHealth(Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(2))
            .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(60));

    @TempDir
    Path data;

    @Test
    void theMetersFollowTheEngineAndItsJournal() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (EngineSupervisor engine = new EngineSupervisor(null, ServerOptions.onPort(NativeServer.freePort()), data, FAST)) {
            engine.start();
            try (NodeMetrics metrics = new NodeMetrics(registry, "n1", engine)) {
                assertThat(gauge(registry, "rfc.engine.up")).isEqualTo(1.0);
                double journal = gauge(registry, "rfc.journal.bytes");
                engine.client().execute("(set t__0 (table [a __seq] (list (til 1000) (til 1000))))");
                assertThat(gauge(registry, "rfc.journal.bytes")).as("a journaled write").isGreaterThan(journal);
                assertThat(registry.get("rfc.journal.command").tag("command", "snapshot").functionTimer().count()).isZero();

                engine.snapshot();
                assertThat(registry.get("rfc.journal.command").tag("command", "snapshot").functionTimer().count()).isEqualTo(1);
                assertThat(registry.get("rfc.journal.last.completed").tag("command", "snapshot").gauge().value())
                        .isGreaterThan(System.currentTimeMillis() / 1000.0 - 600);

                assertThat(registry.get("rfc.engine.restarts").tag("node", "n1").functionCounter().count()).isZero();
                ProcessHandle.of(engine.status().pid()).ifPresent(ProcessHandle::destroyForcibly);
                await().atMost(Duration.ofSeconds(30)).until(() -> engine.status().restarts() == 1 && engine.status().up());
                assertThat(registry.get("rfc.engine.restarts").tag("node", "n1").functionCounter().count()).isEqualTo(1.0);
                assertThat(gauge(registry, "rfc.engine.up")).isEqualTo(1.0);
            }
            assertThat(registry.find("rfc.engine.up").gauge()).as("removed when the node stops").isNull();
        }
    }

    private static double gauge(SimpleMeterRegistry registry, String name) {
        return registry.get(name).tag("node", "n1").gauge().value();
    }
}
