package io.rayforce.cluster.chaos;

import io.rayforce.cluster.chaos.check.CheckResult;
import io.rayforce.cluster.chaos.check.Checker;
import io.rayforce.cluster.chaos.check.StreamChecker;
import io.rayforce.cluster.chaos.workload.InsertStream;
import io.rayforce.cluster.chaos.fault.Fault;
import io.rayforce.cluster.chaos.report.FaultReport;
import io.rayforce.cluster.chaos.workload.Dataset;
import io.rayforce.cluster.chaos.workload.History;
import io.rayforce.cluster.chaos.workload.Operation;
import io.rayforce.cluster.chaos.workload.Outcome;
import io.rayforce.cluster.chaos.workload.PythonGatewayClient;
import io.rayforce.cluster.chaos.workload.ReadQueries;
import io.rayforce.cluster.chaos.workload.Workload;
import io.rayforce.cluster.chaos.workload.WriterStream;
import io.rayforce.cluster.client.value.RayValue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One fault run: a fresh ledger table, the workload started, the fault injected and held, healed,
 * recovery measured, the workload stopped, each writer's final rows read, the history checked
 * against the oracle, and the report made.
 */
public final class ChaosRun {
    private static final Logger log = LoggerFactory.getLogger(ChaosRun.class);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

    private final ChaosEnvironment env;
    private final Profile profile;

    public ChaosRun(ChaosEnvironment env, Profile profile) {
        this.env = env;
        this.profile = profile;
    }

    public FaultReport run(Fault fault, int attempt) {
        long start = System.nanoTime();
        String ledger = ("ledger_" + fault.name().replaceAll("[^A-Za-z0-9]", "_") + "_" + attempt).toLowerCase(Locale.ROOT)
                .replace("__", "_");
        env.executeOnCluster(Dataset.createLedgerOnCluster(ledger, ChaosEnvironment.SHARDS, ChaosEnvironment.REPLICATION),
                Duration.ofSeconds(60));
        String streamTable = ledger.replace("ledger_", "stream_");
        env.executeOnCluster("(.cluster.create '" + streamTable + " " + InsertStream.COLUMNS + " 'id " + ChaosEnvironment.SHARDS
                + " " + ChaosEnvironment.REPLICATION + ")", Duration.ofSeconds(60));
        InsertStream stream = new InsertStream(streamTable, profile.streamWriters(), 1, () -> env.javaClient(REQUEST_TIMEOUT));
        Path python = PythonGatewayClient.projectPython();
        Workload workload = new Workload(profile.shape(), ledger, 7919L * attempt + fault.name().hashCode(),
                () -> env.javaClient(REQUEST_TIMEOUT),
                () -> new PythonGatewayClient(python, "127.0.0.1", env.cluster().loadBalancerPort(), REQUEST_TIMEOUT));
        long faultStart;
        long healedAt;
        long healthMillis;
        int restartsBefore = env.cluster().engineRestartsLogged();
        try {
            workload.start();
            stream.start();
            ChaosEnvironment.sleep(profile.warmup().toMillis());
            log.info("{}: injecting", fault.name());
            faultStart = System.nanoTime();
            try {
                fault.inject(env.cluster());
                log.info("{}: {}", fault.name(), fault.description());
                java.util.Optional<String> notInForce = fault.notInForce(env.cluster());
                if (notInForce.isPresent()) {
                    throw new IllegalStateException(fault.name() + " is not in force after injecting it: " + notInForce.get());
                }
                if (!fault.instantaneous()) {
                    ChaosEnvironment.sleep(profile.faultWindow().toMillis());
                }
            } finally {
                fault.heal(env.cluster());
            }
            healedAt = System.nanoTime();
            log.info("{}: healed", fault.name());
            healthMillis = awaitHealthy(profile.recoveryLimit());
            awaitRecovery(workload.history(), healedAt, profile.recoveryLimit());
            ChaosEnvironment.sleep(profile.steady().toMillis());
        } finally {
            workload.stop();
            stream.stop();
        }
        History history = workload.history();
        int engineRestarts = env.cluster().engineRestartsLogged() - restartsBefore;
        long recoveryMillis = recoveryMillis(history, healedAt);
        Map<Integer, RayValue> finals = new HashMap<>();
        for (WriterStream w : workload.writers().values()) {
            finals.put(w.writer(), env.executeOnCluster(ReadQueries.ledgerRead(ledger, w.writer()), profile.recoveryLimit()));
        }
        List<Operation> ops = history.operations();
        io.rayforce.cluster.chaos.report.HistoryFile.write(Path.of(System.getProperty("chaos.reportDir", "target/chaos"),
                "history", fault.name() + "-" + attempt + ".tsv"), ops);
        CheckResult ledgerCheck = new Checker(env.oracle(), ledger, env.staticAnswers()).check(history, finals);
        CheckResult streamCheck = new StreamChecker(env.oracle()).check(stream,
                env.executeOnCluster(InsertStream.readAll(streamTable), profile.recoveryLimit()));
        log.info("{}: insert stream: {} batches ({} ok), {} reads checked, {} reads with part of a batch, {} lost, {} duplicated",
                fault.name(), stream.batches().size(), stream.batches().stream().filter(b -> b.outcome() == Outcome.OK).count(),
                streamCheck.readsChecked(), streamCheck.partialAnswers(), streamCheck.lostWrites(), streamCheck.duplicatedWrites());
        CheckResult check = CheckResult.sum(ledgerCheck, streamCheck);
        Map<String, Integer> during = counts(ops.stream().filter(o -> o.invokedAtNanos() >= faultStart && o.invokedAtNanos() < healedAt).toList());
        Map<String, Integer> byKind = new LinkedHashMap<>();
        ops.forEach(o -> byKind.merge(o.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'), 1, Integer::sum));
        Map<String, Integer> okByClient = new LinkedHashMap<>();
        ops.stream().filter(o -> o.outcome() == Outcome.OK)
                .forEach(o -> okByClient.merge(o.process().replaceAll("-\\d+$", ""), 1, Integer::sum));
        Map<String, Integer> failedReads = new LinkedHashMap<>();
        long longestRead = 0;
        for (Operation o : ops) {
            if (o.kind().isWrite() || o.kind() == io.rayforce.cluster.chaos.workload.OpKind.HOSTILE) {
                continue;
            }
            if (o.outcome() == Outcome.FAIL) {
                failedReads.merge(o.process().replaceAll("-\\d+$", ""), 1, Integer::sum);
            } else if (o.outcome() == Outcome.OK && o.invokedAtNanos() >= faultStart) {
                longestRead = Math.max(longestRead, (o.completedAtNanos() - o.invokedAtNanos()) / 1_000_000);
            }
        }
        FaultReport report = new FaultReport(fault.name(), fault.description(), profile.name(),
                (System.nanoTime() - start) / 1_000_000, ops.size(), counts(ops), during, byKind, okByClient, check, recoveryMillis,
                healthMillis, engineRestarts, topErrors(ops), failedReads, longestRead);
        log.info("{}: {} ops {}, failed reads {}, longest read {} ms, wrong {}, partial {}, lost {}, duplicated {}, info {}/{}/{}, "
                + "hostile refused {} not {}, engine restarts {}, recovery {} ms, healthy after {} ms", fault.name(), ops.size(),
                report.outcomes(), failedReads, longestRead,
                check.wrongAnswers(), check.partialAnswers(), check.lostWrites(), check.duplicatedWrites(), check.infoPresent(),
                check.infoAbsent(), check.infoUnresolved(), check.hostileRefused(), check.hostileNotRefused(), engineRestarts,
                recoveryMillis, healthMillis);
        dropChecked(ledger, streamTable);
        return report;
    }

    /**
     * The run's own tables, once checked, are dropped: later faults that move data (a repair, a
     * drain, a reshard) then move the workload's tables, not every earlier run's as well (kept,
     * they made lose-node-repair's repair outgrow its limit late in the short profile).
     */
    private void dropChecked(String... tables) {
        for (String t : tables) {
            try {
                env.executeOnCluster("(.cluster.drop '" + t + ")", Duration.ofSeconds(60));
            } catch (RuntimeException e) {
                log.warn("could not drop {} after its run: {}", t, e.toString());
            }
        }
    }

    private long awaitHealthy(Duration limit) {
        long t0 = System.nanoTime();
        try {
            env.cluster().awaitAllHealthy(limit);
            return (System.nanoTime() - t0) / 1_000_000;
        } catch (IllegalStateException e) {
            log.warn("not every container is healthy again: {}", e.getMessage());
            return -1;
        }
    }

    /** Waits until a read and a write sent after {@code healedAt} were both answered ok. */
    private static void awaitRecovery(History history, long healedAt, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline && recoveryMillis(history, healedAt) < 0) {
            ChaosEnvironment.sleep(200);
        }
    }

    static long recoveryMillis(History history, long healedAt) {
        long read = Long.MAX_VALUE;
        long write = Long.MAX_VALUE;
        for (Operation o : history.operations()) {
            if (o.outcome() != Outcome.OK || o.invokedAtNanos() < healedAt) {
                continue;
            }
            if (o.kind().isWrite()) {
                write = Math.min(write, o.completedAtNanos());
            } else {
                read = Math.min(read, o.completedAtNanos());
            }
        }
        if (read == Long.MAX_VALUE || write == Long.MAX_VALUE) {
            return -1;
        }
        return (Math.max(read, write) - healedAt) / 1_000_000;
    }

    private static Map<String, Integer> counts(List<Operation> ops) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (Outcome o : Outcome.values()) {
            m.put(o.name().toLowerCase(Locale.ROOT), 0);
        }
        ops.forEach(o -> m.merge(o.outcome().name().toLowerCase(Locale.ROOT), 1, Integer::sum));
        return m;
    }

    private static List<String> topErrors(List<Operation> ops) {
        Map<String, Long> errors = ops.stream().filter(o -> o.error() != null)
                .collect(Collectors.groupingBy(o -> o.outcome().name().toLowerCase(Locale.ROOT) + ": "
                        + ChaosEnvironment.abbreviate(o.error()), Collectors.counting()));
        return errors.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .limit(8).map(e -> e.getValue() + " x " + e.getKey()).toList();
    }
}
