package io.rayforce.cluster.node.journal;

import static io.rayforce.cluster.node.journal.JournalTesting.QUIET;
import static io.rayforce.cluster.node.journal.JournalTesting.append;
import static io.rayforce.cluster.node.journal.JournalTesting.count;
import static io.rayforce.cluster.node.journal.JournalTesting.entries;
import static io.rayforce.cluster.node.journal.JournalTesting.frame;
import static io.rayforce.cluster.node.journal.JournalTesting.supervisor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.ipc.Wire;
import io.rayforce.cluster.client.rayfall.RayfallReader;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.node.engine.EngineSupervisor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal a node's engine replays holds its writes and nothing else (real engine, real files). */
class JournalCompactionTest {
    @TempDir
    Path data;

    private final JournalTesting.Started started = new JournalTesting.Started();

    @AfterEach
    void closeAll() throws Exception {
        started.close();
    }

    private EngineSupervisor started() {
        return started.start(supervisor(data, QUIET));
    }

    @Test
    void compactionKeepsEveryWriteByteForByteAndDropsEveryRead() {
        EngineSupervisor s = started();
        TCPClient c = s.client();
        c.execute("(count (set t__0 (table [id px] (list (til 1000) (* 1.5 (til 1000))))))");            // 1 write
        c.executeReadOnly("(count t__0)");                                                             // 2 read, restricted
        c.execute("(sum (at t__0 'px))");                                                              // 3 read, unflagged
        c.execute(RayfallReader.read("(insert 't__0 (table [id px] (list [5000 5001] [1.0 2.0])))")); // 4 write as a value
        c.execute("(select {from: t__0 where: (> id 990)})");                                          // 5 read, unflagged
        c.execute("(update {px: 0.0 from: 't__0 where: (== id 3)})");                                  // 6 write
        c.executeReadOnly("(.sys.mem)");                                                               // 7 read, restricted
        assertThatThrownBy(() -> c.execute("(+ 1 'a)")).isInstanceOf(RayforceEvaluationError.class);   // 8 failing read
        RayValue before = c.execute("t__0");                                                           // 9 read, unflagged
        Path log = data.resolve("engine.log");
        List<JournalEntry> old = entries(log);
        assertThat(old).hasSize(10);
        assertThat(old.get(0).restricted()).as("the agent's version probe").isTrue();
        assertThat(old.get(2).restricted()).isTrue();
        assertThat(old.get(7).restricted()).isTrue();
        assertThat(old.get(3).restricted()).isFalse();
        long oldGen = JournalFormat.probe(log).generation();
        s.close();

        EngineSupervisor again = started();
        List<JournalEntry> rewritten = entries(log);
        assertThat(again.client().execute("t__0")).isEqualTo(before);
        assertThat(JournalFormat.probe(log).generation()).isNotEqualTo(oldGen).isNotZero();
        assertThat(rewritten).hasSize(4);
        for (int i = 0; i < 3; i++) {
            assertThat(rewritten.get(i).frame()).as("write %d", i).isEqualTo(old.get(new int[] {1, 4, 6}[i]).frame());
        }
        assertThat(rewritten.get(3).restricted()).as("the new engine's version probe").isTrue();
        assertThat(again.quarantinedEntries()).isZero();
        assertThat(data.resolve("engine.quarantine")).doesNotExist();
    }

    @Test
    void poisonedEntriesAreQuarantinedNamedInTheLogAndTheEngineComesBackWithAllItsData() throws Exception {
        EngineSupervisor s = started();
        s.client().execute("(count (set t__0 (table [id] (list (til 10)))))");
        s.snapshot();
        s.client().execute("(insert 't__0 (table [id] (list [10 11])))");
        s.close();
        Path marker = data.resolve("exec-ran");
        Path log = data.resolve("engine.log");
        long before = Files.size(log);
        append(log,
                frame("(exit 3)", 0),
                frame("(.sys.exec \"touch " + marker + "\")", 0),
                frame(RayfallReader.read("(set 'users (table [name] (list ['mallory])))")),
                frame("(insert 't__0 (table [id] (list [12])))", 0));

        try (JournalTesting.LogCapture logs = new JournalTesting.LogCapture(Quarantine.class)) {
            EngineSupervisor again = started();
            assertThat(count(again, "t__0")).isEqualTo(13);
            assertThat(again.quarantinedEntries()).isEqualTo(3);
            assertThat(marker).doesNotExist();
            assertThatThrownBy(() -> again.client().execute("users")).isInstanceOfSatisfying(RayforceEvaluationError.class,
                    e -> assertThat(e.code()).isEqualTo("name"));
            List<String> lines = logs.lines();
            assertThat(lines).hasSize(3);
            assertThat(lines.get(0)).contains("#1 at byte " + before + " of engine.log").contains("'exit'").contains("(exit 3)");
            assertThat(lines.get(1)).contains("#2 at byte").contains("'.sys.exec'").contains("(.sys.exec \"touch");
            assertThat(lines.get(2)).contains("#3 at byte").contains("'set'").contains("users");
            List<JournalEntry> kept = entries(data.resolve("engine.quarantine"));
            assertThat(kept).hasSize(3);
            assertThat(kept.get(0).frame()).isEqualTo(frame("(exit 3)", 0));
            again.close();
        }

        EngineSupervisor third = started();
        assertThat(count(third, "t__0")).isEqualTo(13);
        assertThat(third.quarantinedEntries()).as("nothing left to quarantine").isZero();
        assertThat(entries(data.resolve("engine.quarantine"))).hasSize(3);
    }

    @Test
    void aTornEndIsCutOffKeptAsideAndEverythingBeforeItReplayed() throws Exception {
        EngineSupervisor s = started();
        s.client().execute("(count (set t__0 (table [id] (list (til 10)))))");
        s.close();
        Path log = data.resolve("engine.log");
        long size = Files.size(log);
        byte[] write = frame("(insert 't__0 (table [id] (list [10])))", 0);
        append(log, java.util.Arrays.copyOf(write, write.length - 3));

        EngineSupervisor again = started();
        assertThat(count(again, "t__0")).isEqualTo(10);
        try (var files = Files.list(data)) {
            assertThat(files.filter(p -> p.toString().endsWith(".torn")).count()).isEqualTo(1);
        }
        try (var files = Files.list(data)) {
            assertThat(files.filter(p -> p.toString().endsWith("." + size + ".torn")).findFirst().orElseThrow())
                    .hasSize(write.length - 3);
        }
    }

    @Test
    void readsSentRestrictedLeaveNothingToReplayAndTheLiveJournalStaysSmall() {
        EngineSupervisor s = started.start(supervisor(data, QUIET.withJournalRoll(64 * 1024)));
        s.client().execute("(count (set t__0 (table [id] (list (til 100)))))");
        for (int i = 0; i < 3000; i++) {
            s.client().executeReadOnly("(count (select {from: t__0 where: (> id " + (i % 100) + ")}))");
        }
        assertThat(s.journal().journalBytes()).isGreaterThan(64 * 1024);
        s.roll();
        assertThat(s.journal().archives()).isEmpty();
        assertThat(s.journal().journalBytes()).isEqualTo(JournalFiles.HEADER_BYTES);
        List<Path> segments = s.journal().segmentFiles();
        assertThat(segments).hasSize(1);
        assertThat(entries(segments.get(0))).hasSize(1);
        assertThat(entries(segments.get(0)).get(0).flags()).isZero();
        assertThat(JournalFiles.size(segments.get(0))).isLessThan(200);
    }

    @Test
    void theRestrictedFlagIsWhatTheEngineJournals() {
        EngineSupervisor s = started();
        s.client().executeReadOnly("(+ 1 2)");
        List<JournalEntry> e = entries(data.resolve("engine.log"));
        assertThat(e.get(e.size() - 1).flags() & Wire.FLAG_RESTRICTED).isEqualTo(Wire.FLAG_RESTRICTED);
    }
}
