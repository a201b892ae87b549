package io.rayforce.cluster.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rayforce.cluster.chaos.docker.DockerAvailability;
import io.rayforce.cluster.chaos.docker.ImageRoles;
import io.rayforce.cluster.chaos.fault.Fault;
import io.rayforce.cluster.chaos.fault.Faults;
import io.rayforce.cluster.chaos.report.FaultReport;
import io.rayforce.cluster.chaos.report.ReportWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The chaos suite: the cluster in containers, each fault in its own test while concurrent clients
 * (Java and rayforce-py) read and write through the gateway, and every run checked against one
 * native server: no wrong answer, no silently partial answer, no lost or duplicated acknowledged
 * write, every in-doubt write resolved, and recovery after the fault. Where no Docker engine runs
 * the tests are skipped with that reason (in CI, {@code CI=true}, they fail instead). The profile
 * ({@code -Dchaos.profile=short|soak}) sets how long and how often; {@code -Dchaos.faults=kill,pause}
 * runs only the faults whose names contain one of the words.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChaosSuiteTest {
    private static final String TARGET_NODE = "node2";
    private final Profile profile = Profile.current();
    private final String image = System.getProperty("chaos.image", "rayforce-cluster:latest");
    private final Path reportDir = Path.of(System.getProperty("chaos.reportDir", "target/chaos"));
    private final ReportWriter reports = new ReportWriter(reportDir);
    private final Map<String, Faults.Kind> kinds = Faults.all(TARGET_NODE).stream()
            .collect(Collectors.toMap(Faults.Kind::name, Function.identity()));
    private final List<String> only = Arrays.stream(System.getProperty("chaos.faults", "").split(","))
            .map(String::strip).filter(s -> !s.isEmpty()).toList();
    private final long suiteStart = System.nanoTime();
    private ChaosEnvironment env;

    @BeforeAll
    void startCluster() {
        Optional<String> unavailable = DockerAvailability.unavailableReason(image);
        if (Boolean.getBoolean("chaos.requireDocker")) {
            assertThat(unavailable).as("CI must run the chaos tests for real").isEmpty();
        }
        assumeTrue(unavailable.isEmpty(), () -> "chaos tests skipped: " + unavailable.orElse(""));
        List<String> missing = ImageRoles.missing(image, List.of("node", "coordinator", "gateway"));
        assumeTrue(missing.isEmpty(), () -> "chaos tests skipped: the image's rfc launcher has no " + missing
                + " command yet, so no cluster can be assembled");
        env = ChaosEnvironment.start(image, profile);
    }

    @AfterAll
    void removeCluster() throws Exception {
        if (env == null) {
            return;
        }
        env.cluster().saveLogs(reportDir.resolve("logs"));
        env.close();
        Path doc = Path.of(System.getProperty("rayforce.root", ".."), "docs", "chaos.md");
        if (Boolean.getBoolean("chaos.updateDocs") && Files.exists(doc)) {
            reports.updateDoc(doc, profile.name(), "Last " + profile.name() + " run: " + java.time.LocalDate.now() + ", "
                    + (System.nanoTime() - suiteStart) / 60_000_000_000L + " min including the cluster's start.");
        }
    }

    @Test
    @Order(1)
    void killNode() {
        run("kill-node");
    }

    @Test
    @Order(2)
    void pauseNodeBeyondItsSession() {
        run("pause-node");
    }

    @Test
    @Order(3)
    void partitionNodeFromZooKeeper() {
        run("partition-node-zookeeper");
    }

    @Test
    @Order(4)
    void partitionNodeFromGateway() {
        run("partition-node-gateway");
    }

    @Test
    @Order(5)
    void partitionNodeFromEverything() {
        run("partition-node-all");
    }

    @Test
    @Order(6)
    void slowLink() {
        run("slow-link");
    }

    @Test
    @Order(7)
    void lossyLink() {
        run("lossy-link");
    }

    @Test
    @Order(8)
    void killZooKeeperMember() {
        run("kill-zookeeper-member");
    }

    @Test
    @Order(9)
    void killZooKeeperLeader() {
        run("kill-zookeeper-leader");
    }

    @Test
    @Order(10)
    void killLeaderCoordinator() {
        run("kill-leader-coordinator");
    }

    @Test
    @Order(11)
    void restartGatewayDuringTraffic() {
        run("restart-gateway");
    }

    @Test
    @Order(12)
    void killGatewayDuringTraffic() {
        run("kill-gateway");
    }

    /** A gateway (a router) killed while it writes: readers of its tables wait for its session, then recover. */
    @Test
    @Order(13)
    void routerCrashMidWrite() {
        run("router-crash");
    }

    /** Faults combine: a node killed while the ZooKeeper leader is killed too. */
    @Test
    @Order(20)
    void killNodeAndZooKeeperLeaderTogether() {
        selected("kill-node+kill-zookeeper-leader");
        for (int rep = 1; rep <= profile.repetitions(); rep++) {
            runAndCheck(Faults.combined(List.of(kinds.get("kill-node").make().get(), kinds.get("kill-zookeeper-leader").make().get())), rep);
        }
    }

    /** Soak only: a lossy link to a node while the leader coordinator is killed. */
    @Test
    @Order(21)
    void lossyLinkAndLeaderCoordinatorKilledTogether() {
        assumeTrue(profile.combined(), "runs in the soak profile only (-Dchaos.profile=soak)");
        selected("lossy-link+kill-leader-coordinator");
        for (int rep = 1; rep <= profile.repetitions(); rep++) {
            runAndCheck(Faults.combined(List.of(kinds.get("lossy-link").make().get(), kinds.get("kill-leader-coordinator").make().get())), rep);
        }
    }

    /** Topology changes under the full workload (docs/chaos.md, Topology changes). */
    @Test
    @Order(20)
    void nodeJoinsAndIsRebalancedOnto() {
        run("join-node-rebalance");
    }

    @Test
    @Order(21)
    void drainNode() {
        run("drain-node");
    }

    @Test
    @Order(22)
    void loseNodeAndRepairItsReplicas() {
        run("lose-node-repair");
    }

    @Test
    @Order(23)
    void setReplication() {
        run("set-replication");
    }

    @Test
    @Order(24)
    void reshard() {
        run("reshard");
    }

    private void selected(String name) {
        assumeTrue(only.isEmpty() || only.stream().anyMatch(name::contains), () -> name + " not selected by -Dchaos.faults=" + only);
    }

    private void run(String name) {
        selected(name);
        for (int rep = 1; rep <= profile.repetitions(); rep++) {
            runAndCheck(kinds.get(name).make().get(), rep);
        }
    }

    private void runAndCheck(Fault fault, int attempt) {
        FaultReport r = new ChaosRun(env, profile).run(fault, attempt);
        reports.write(r);
        assertThat(r.check().examples()).as("anomalies of %s", fault.name()).isEmpty();
        assertThat(r.check().valid()).as("checker verdict for %s: %s", fault.name(), r.check()).isTrue();
        assertThat(r.check().readsChecked()).as("reads checked against the oracle in %s", fault.name()).isPositive();
        assertThat(r.okByClient()).as("ok operations per client in %s", fault.name())
                .containsKeys("java-reader", "python-reader", "writer");
        assertThat(r.check().hostileRefused()).as("hostile queries refused with access in %s", fault.name()).isPositive();
        assertThat(r.engineRestarts()).as("engines that went down alone during %s (a hostile query must never end one)",
                fault.name()).isZero();
        assertThat(r.recovered()).as("%s recovered (recovery %d ms, all healthy after %d ms)", fault.name(),
                r.recoveryMillis(), r.healthMillis()).isTrue();
    }
}
