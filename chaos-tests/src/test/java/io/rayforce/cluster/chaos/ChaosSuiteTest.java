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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * The chaos suite: the cluster in containers, each fault in its own test while concurrent clients
 * (Java and rayforce-py) read and write through the gateway, and every run checked against one
 * native server: no wrong answer, no silently partial answer, no lost or duplicated acknowledged
 * write, every in-doubt write resolved, and recovery after the fault. Where no Docker engine runs,
 * the tests are skipped with that reason. The profile ({@code -Dchaos.profile=short|soak}) sets
 * how long and how often; {@code -Dchaos.faults=kill,pause} runs only faults whose names contain
 * one of the words.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChaosSuiteTest {
    private static final String TARGET_NODE = "node2";
    private final Profile profile = Profile.current();
    private final String image = System.getProperty("chaos.image", "rayforce-cluster:latest");
    private final Path reportDir = Path.of(System.getProperty("chaos.reportDir", "target/chaos"));
    private final ReportWriter reports = new ReportWriter(reportDir);
    private ChaosEnvironment env;

    @BeforeAll
    void startCluster() {
        Optional<String> unavailable = DockerAvailability.unavailableReason(image);
        assumeTrue(unavailable.isEmpty(), () -> "chaos tests skipped: " + unavailable.orElse(""));
        List<String> missing = ImageRoles.missing(image, List.of("node", "coordinator", "gateway"));
        assumeTrue(missing.isEmpty(), () -> "chaos tests skipped: the image's rfc launcher has no " + missing
                + " command yet, so no cluster can be assembled");
        env = ChaosEnvironment.start(image, profile);
    }

    @AfterAll
    void removeCluster() throws Exception {
        if (env != null) {
            env.cluster().saveLogs(reportDir.resolve("logs"));
            env.close();
        }
        Path doc = Path.of(System.getProperty("rayforce.root", ".."), "docs", "chaos.md");
        if (Boolean.getBoolean("chaos.updateDocs") && Files.exists(doc) && env != null) {
            reports.updateDoc(doc, "Last " + profile.name() + " run: " + java.time.LocalDate.now());
        }
    }

    @TestFactory
    Stream<DynamicTest> faults() {
        List<String> only = Arrays.stream(System.getProperty("chaos.faults", "").split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
        List<Faults.Kind> kinds = Faults.all(TARGET_NODE).stream()
                .filter(k -> only.isEmpty() || only.stream().anyMatch(k.name()::contains)).toList();
        List<DynamicTest> tests = new ArrayList<>();
        for (int rep = 1; rep <= profile.repetitions(); rep++) {
            int attempt = rep;
            for (Faults.Kind k : kinds) {
                tests.add(DynamicTest.dynamicTest(k.name() + (profile.repetitions() > 1 ? " #" + rep : ""),
                        () -> runAndCheck(k.make().get(), attempt)));
            }
        }
        if (profile.combined() && only.isEmpty()) {
            tests.add(DynamicTest.dynamicTest("kill-node+kill-zookeeper-leader", () -> runAndCheck(Faults.combined(List.of(
                    kinds.get(0).make().get(), kinds.get(8).make().get())), 1)));
            tests.add(DynamicTest.dynamicTest("lossy-link+kill-leader-coordinator", () -> runAndCheck(Faults.combined(List.of(
                    kinds.get(6).make().get(), kinds.get(9).make().get())), 1)));
        }
        return tests.stream();
    }

    private void runAndCheck(Fault fault, int attempt) {
        FaultReport r = new ChaosRun(env, profile).run(fault, attempt);
        reports.write(r);
        assertThat(r.check().examples()).as("anomalies of %s", fault.name()).isEmpty();
        assertThat(r.check().valid()).as("checker verdict for %s: %s", fault.name(), r.check()).isTrue();
        assertThat(r.check().readsChecked()).as("reads checked against the oracle in %s", fault.name()).isPositive();
        assertThat(r.outcomes().get("ok")).as("ok operations in %s", fault.name()).isPositive();
        assertThat(r.recovered()).as("%s recovered (recovery %d ms, all healthy after %d ms)", fault.name(),
                r.recoveryMillis(), r.healthMillis()).isTrue();
    }
}
