package io.rayforce.cluster.node.journal;

import static io.rayforce.cluster.node.journal.JournalTesting.FAST;
import static io.rayforce.cluster.node.journal.JournalTesting.QUIET;
import static io.rayforce.cluster.node.journal.JournalTesting.append;
import static io.rayforce.cluster.node.journal.JournalTesting.count;
import static io.rayforce.cluster.node.journal.JournalTesting.entries;
import static io.rayforce.cluster.node.journal.JournalTesting.frame;
import static io.rayforce.cluster.node.journal.JournalTesting.kill9;
import static io.rayforce.cluster.node.journal.JournalTesting.sum;
import static io.rayforce.cluster.node.journal.JournalTesting.supervisor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rayforce.cluster.node.engine.EngineState;
import io.rayforce.cluster.node.engine.EngineSupervisor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No journal keeps a node down, and no crash of the agent between two steps of the journal's
 * upkeep loses a write or applies one twice (real engines, real files, SIGKILL).
 */
class JournalRecoveryTest {
    /** Keeps every entry not sent restricted: lets through what the data-path rule never would. */
    static final EntryCheck PERMISSIVE = e -> EntryVerdict.KEEP;

    @TempDir
    Path data;

    private final JournalTesting.Started started = new JournalTesting.Started();

    @AfterEach
    void closeAll() throws Exception {
        started.close();
    }

    private EngineSupervisor start(EngineSupervisor s) {
        return started.start(s);
    }

    /** Inserts rows {@code from..to-1}: not idempotent, so a request replayed twice shows in the count and the sum. */
    private static void insert(EngineSupervisor s, int from, int to) {
        for (int i = from; i < to; i++) {
            s.client().execute("(insert 't__0 (table [id] (list [" + i + "])))");
        }
    }

    private static void assertRows(EngineSupervisor s, int n) {
        assertThat(count(s, "t__0")).isEqualTo(n);
        assertThat(sum(s, "t__0", "id")).isEqualTo((long) n * (n - 1) / 2);
    }

    private static EngineSupervisor withTable(EngineSupervisor s) {
        s.client().execute("(count (set t__0 (table [id] (list (as 'I64 [])))))");
        return s;
    }

    @Test
    void anEntryThatKillsTheEngineOnEveryReplayIsFoundQuarantinedAndTheNodeComesBack() throws Exception {
        EngineSupervisor s = withTable(start(supervisor(data, QUIET, PERMISSIVE)));
        insert(s, 0, 5);
        s.close();
        append(data.resolve("engine.log"), frame("(exit 3)", 0), frame("(insert 't__0 (table [id] (list [5])))", 0));

        try (JournalTesting.LogCapture logs = new JournalTesting.LogCapture(Quarantine.class)) {
            EngineSupervisor again = start(supervisor(data, QUIET, PERMISSIVE));
            assertRows(again, 6);
            assertThat(again.quarantinedEntries()).isEqualTo(1);
            assertThat(logs.lines()).singleElement().asString().contains("(exit 3)").contains("exit with code 3");
            assertThat(entries(data.resolve("engine.quarantine"))).singleElement()
                    .satisfies(e -> assertThat(e.frame()).isEqualTo(frame("(exit 3)", 0)));
        }
    }

    /**
     * Three rows, then a client's {@code (exit 4)}: the engine exits, is restarted, and comes back
     * (one restart that counts) with its rows and the exit quarantined.
     */
    private void exitSentByAClient(EngineSupervisor s) {
        withTable(s);
        insert(s, 0, 3);
        long pid = s.status().pid();
        try {
            s.client().execute("(exit 4)");
        } catch (RuntimeException expected) {
            // the engine exits instead of answering
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> s.status().up() && s.status().pid() != pid);
        assertRows(s, 3);
        assertThat(s.quarantinedEntries()).isEqualTo(1);
        assertThat(s.status().restarts()).isEqualTo(1);
    }

    @Test
    void aClientsExitThatIsReplayedEveryRestartIsQuarantinedByTheSupervision() {
        EngineSupervisor s = start(supervisor(data, FAST, PERMISSIVE));
        exitSentByAClient(s);                    // two failed starts, the search, the quarantine
        insert(s, 3, 4);
        kill9(s.status().pid());
        await().atMost(Duration.ofSeconds(30)).until(() -> s.status().up() && s.status().restarts() == 2);
        assertRows(s, 4);
    }

    @Test
    void theDataPathRuleQuarantinesAnExitBeforeItCanRun() {
        try (JournalTesting.LogCapture logs = new JournalTesting.LogCapture(PoisonEntryFinder.class)) {
            exitSentByAClient(start(supervisor(data, FAST)));
            assertThat(logs.lines()).as("no failed start, no search").isEmpty();
        }
    }

    @Test
    void anAgentKilledBetweenARollAndTheSegmentLosesNothingAndDoublesNothing() {
        EngineSupervisor s = withTable(start(supervisor(data, QUIET)));
        insert(s, 0, 10);
        s.client().executeReadOnly("(.log.roll)");        // the roll, and the agent dies before it folds the archive
        insert(s, 10, 15);
        kill9(s.status().pid());
        s.close();
        assertThat(s.journal().archives()).hasSize(1);

        EngineSupervisor again = start(supervisor(data, QUIET));
        assertRows(again, 15);
        assertThat(again.journal().archives()).isEmpty();
        assertThat(again.journal().segmentFiles()).hasSize(2); // the archive's writes, and the prefix marker
        insert(again, 15, 20);
        again.roll();                                    // folds only what follows the replayed prefix
        insert(again, 20, 22);
        kill9(again.status().pid());
        again.close();

        EngineSupervisor third = start(supervisor(data, QUIET));
        assertRows(third, 22);
        third.snapshot();
        assertThat(third.journal().segmentFiles()).isEmpty();
        insert(third, 22, 23);
        kill9(third.status().pid());
        third.close();
        assertRows(start(supervisor(data, QUIET)), 23);
    }

    @Test
    void anAgentKilledBetweenTheSegmentAndTheArchivesDeletionLosesNothingAndDoublesNothing() throws Exception {
        EngineSupervisor s = withTable(start(supervisor(data, QUIET)));
        insert(s, 0, 10);
        s.client().executeReadOnly("(.log.roll)");
        Path archive = s.journal().archives().get(0);
        Path copy = data.resolve("archive.copy");
        Files.copy(archive, copy);
        s.compactor().foldArchives();                       // the segment is written and the archive deleted ...
        Files.copy(copy, archive, StandardCopyOption.COPY_ATTRIBUTES); // ... as if the agent died before the deletion
        insert(s, 10, 12);
        kill9(s.status().pid());
        s.close();
        assertRows(start(supervisor(data, QUIET)), 12);
    }

    @Test
    void anAgentKilledBetweenASnapshotAndItsCleanupLosesNothingAndDoublesNothing() {
        EngineSupervisor s = withTable(start(supervisor(data, QUIET)));
        insert(s, 0, 10);
        s.roll();
        insert(s, 10, 15);
        s.client().executeReadOnly("(.log.snapshot)");      // the snapshot, and the agent dies before its cleanup
        insert(s, 15, 17);
        kill9(s.status().pid());
        s.close();
        assertThat(s.journal().archives()).hasSize(1);
        assertThat(s.journal().segmentFiles()).hasSize(1);   // covered by the snapshot now

        EngineSupervisor again = start(supervisor(data, QUIET));
        assertRows(again, 17);
        assertThat(again.journal().archives()).isEmpty();
        assertThat(again.journal().segmentFiles()).as("covered segments deleted").isEmpty();
    }

    @Test
    void anAgentKilledBetweenThePrefixMarkerAndTheRewrittenJournalLosesNothingAndDoublesNothing() throws Exception {
        EngineSupervisor s = withTable(start(supervisor(data, QUIET)));
        insert(s, 0, 10);
        s.roll();
        insert(s, 10, 12);
        s.close();
        Path log = data.resolve("engine.log");
        Path copy = data.resolve("log.copy");
        Files.copy(log, copy);
        JournalCompactor c = new JournalCompactor(new JournalFiles(data.resolve("engine")), new DataPathEntryCheck());
        c.prepareForStart();                             // the marker and the new journal are written ...
        Files.move(copy, log, java.nio.file.StandardCopyOption.REPLACE_EXISTING); // ... as if the rename never happened
        assertRows(start(supervisor(data, QUIET)), 12);
    }

    @Test
    void aStartThatFailsForAnotherReasonIsNotBlamedOnTheJournal() throws Exception {
        EngineSupervisor s = withTable(start(supervisor(data, QUIET)));
        insert(s, 0, 3);
        s.close();
        // a journal the engine cannot even open (its lock file is a directory): no entry is to blame
        Files.delete(data.resolve("engine.lk"));
        Files.createDirectory(data.resolve("engine.lk"));
        EngineSupervisor broken = started.add(supervisor(data, QUIET));
        org.assertj.core.api.Assertions.assertThatThrownBy(broken::start).isInstanceOf(IllegalStateException.class)
                .satisfies(e -> assertThat(e.getSuppressed()).singleElement().asString().contains("cause is elsewhere"));
        assertThat(broken.quarantinedEntries()).isZero();
        assertThat(broken.status().state()).isEqualTo(EngineState.NEW);
        Files.delete(data.resolve("engine.lk"));
        assertRows(start(supervisor(data, QUIET)), 3);
    }
}
