package io.rayforce.cluster.node.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link EngineSupervisor} watches and restarts its engine and compacts its journal.
 *
 * @param healthInterval       how often the process and its responsiveness are checked
 * @param probeTimeout         how long one handshake probe may take
 * @param hungAfter            an engine that has answered no probe for this long while its process
 *                             lives is killed (SIGKILL) and restarted; the engine evaluates one
 *                             request at a time, so this must exceed the longest legitimate query
 * @param backoffInitial       the first restart delay; it doubles after each failed start or crash
 * @param backoffMax           the largest restart delay
 * @param stableAfter          an engine up this long resets the restart delay to its initial value
 * @param snapshotInterval     a snapshot is taken at least this often while the journal holds
 *                             more than {@link #MIN_JOURNAL_FOR_TIMED_SNAPSHOT} bytes
 * @param snapshotJournalBytes a snapshot is taken as soon as the journaled requests the snapshot does
 *                             not hold (segments and the live journal) pass this size
 * @param requestTimeout       the timeout of the supervisor's own requests to the engine
 *                             (snapshots, version) and of the node agent's control requests
 * @param fsyncJournal         run the engine with {@code -L} (fsync per write, survives power
 *                             loss, ~0.5 ms per write) instead of {@code -l}
 * @param journalRollBytes     the live journal is rolled ({@code (.log.roll)}) and folded into a
 *                             segment of its writes once it grows past this size, so reads never
 *                             make it larger than this (docs/node.md, The journal)
 */
public record SupervisorSettings(Duration healthInterval, Duration probeTimeout, Duration hungAfter,
                                 Duration backoffInitial, Duration backoffMax, Duration stableAfter,
                                 Duration snapshotInterval, long snapshotJournalBytes, Duration requestTimeout,
                                 boolean fsyncJournal, long journalRollBytes) {
    /** Below this journal size a timed snapshot is skipped: replaying it costs next to nothing. */
    public static final long MIN_JOURNAL_FOR_TIMED_SNAPSHOT = 64 * 1024;

    public static final SupervisorSettings DEFAULTS = new SupervisorSettings(Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofSeconds(60), Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(60),
            Duration.ofMinutes(10), 256L * 1024 * 1024, Duration.ofMinutes(10), false, 4L * 1024 * 1024);

    public SupervisorSettings {
        for (Duration d : new Duration[] {healthInterval, probeTimeout, hungAfter, backoffInitial, backoffMax, stableAfter,
                snapshotInterval, requestTimeout}) {
            Objects.requireNonNull(d, "durations must not be null");
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("supervisor durations must be positive, got " + d);
            }
        }
        if (backoffMax.compareTo(backoffInitial) < 0) {
            throw new IllegalArgumentException("backoffMax " + backoffMax + " is below backoffInitial " + backoffInitial);
        }
        if (snapshotJournalBytes < 1) {
            throw new IllegalArgumentException("snapshotJournalBytes must be positive, got " + snapshotJournalBytes);
        }
        if (journalRollBytes < 1) {
            throw new IllegalArgumentException("journalRollBytes must be positive, got " + journalRollBytes);
        }
    }

    public SupervisorSettings withHealth(Duration interval, Duration probe, Duration hung) {
        return new SupervisorSettings(interval, probe, hung, backoffInitial, backoffMax, stableAfter, snapshotInterval,
                snapshotJournalBytes, requestTimeout, fsyncJournal, journalRollBytes);
    }

    public SupervisorSettings withBackoff(Duration initial, Duration max, Duration stable) {
        return new SupervisorSettings(healthInterval, probeTimeout, hungAfter, initial, max, stable, snapshotInterval,
                snapshotJournalBytes, requestTimeout, fsyncJournal, journalRollBytes);
    }

    public SupervisorSettings withSnapshots(Duration interval, long journalBytes) {
        return new SupervisorSettings(healthInterval, probeTimeout, hungAfter, backoffInitial, backoffMax, stableAfter,
                interval, journalBytes, requestTimeout, fsyncJournal, journalRollBytes);
    }

    public SupervisorSettings withRequestTimeout(Duration timeout) {
        return new SupervisorSettings(healthInterval, probeTimeout, hungAfter, backoffInitial, backoffMax, stableAfter,
                snapshotInterval, snapshotJournalBytes, timeout, fsyncJournal, journalRollBytes);
    }

    public SupervisorSettings withFsyncJournal(boolean fsync) {
        return new SupervisorSettings(healthInterval, probeTimeout, hungAfter, backoffInitial, backoffMax, stableAfter,
                snapshotInterval, snapshotJournalBytes, requestTimeout, fsync, journalRollBytes);
    }

    public SupervisorSettings withJournalRoll(long rollBytes) {
        return new SupervisorSettings(healthInterval, probeTimeout, hungAfter, backoffInitial, backoffMax, stableAfter,
                snapshotInterval, snapshotJournalBytes, requestTimeout, fsyncJournal, rollBytes);
    }
}
