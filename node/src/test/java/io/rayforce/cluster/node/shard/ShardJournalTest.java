package io.rayforce.cluster.node.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.engine.NativeServer;
import io.rayforce.cluster.client.engine.ServerOptions;
import io.rayforce.cluster.client.ipc.FrameHeader;
import io.rayforce.cluster.client.ipc.Wire;
import io.rayforce.cluster.coordinator.proto.ColumnSpec;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.node.engine.EngineSupervisor;
import io.rayforce.cluster.node.engine.SupervisorSettings;
import io.rayforce.cluster.node.journal.DataPathEntryCheck;
import io.rayforce.cluster.node.journal.EntryVerdict;
import io.rayforce.cluster.node.journal.JournalEntry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the node agent's own requests leave in the journals: its reads (on its engine and on a
 * copy's source) are journaled restricted, and its writes (CreateShard, DropShard, copy pages and
 * the copy's rename) pass the data-path rule, so the journal's upkeep keeps every one of them.
 */
class ShardJournalTest {
    static final TableSpec NOTES = TableSpec.newBuilder().setName("notes").setShardCount(2).setReplicationFactor(1)
            .addColumns(ColumnSpec.newBuilder().setName("id").setType("i64"))
            .addColumns(ColumnSpec.newBuilder().setName("text").setType("string"))
            .addColumns(ColumnSpec.newBuilder().setName("tag").setType("symbol")).build();

    @TempDir
    Path dir;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private EngineSupervisor local() {
        EngineSupervisor s = new EngineSupervisor(null, ServerOptions.onPort(NativeServer.freePort()), dir.resolve("local"),
                SupervisorSettings.DEFAULTS);
        closeables.add(s);
        s.start();
        return s;
    }

    /** The frames of a journal (after its 16-byte preamble), as entries. */
    private static List<JournalEntry> entries(Path log) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(log)).order(ByteOrder.LITTLE_ENDIAN);
        List<JournalEntry> out = new ArrayList<>();
        for (int at = 16; at < b.limit(); ) {
            int n = Wire.HEADER_BYTES + (int) b.getLong(at + 8);
            byte[] frame = new byte[n];
            b.get(at, frame);
            out.add(new JournalEntry(out.size(), at, frame));
            at += n;
        }
        return out;
    }

    @Test
    void theAgentsReadsAreRestrictedAndItsWritesAreKeptAndReplayed() throws Exception {
        Path sourceBase = dir.resolve("source").resolve("engine");
        Files.createDirectories(sourceBase.getParent());
        NativeServer source = NativeServer.startOnFreePort(ServerOptions.onPort(1).journal(sourceBase, false));
        closeables.add(source);
        try (TCPClient c = new TCPClient(source.host(), source.port())) {
            c.execute("(set notes__0 (table [id text tag __seq] (list (til 3000) (map (fn [i] (format \"n%\" i)) (til 3000)) "
                    + "(take [a b c] 3000) (til 3000))))");
        }
        EngineSupervisor local = local();
        ShardStore store = new ShardStore(local);
        store.create(NOTES, 1);
        store.create(NOTES, 1);                                  // idempotent: checks, writes nothing new
        new ShardCopier(local, 16 * 1024, 8 * 1024, Duration.ofSeconds(30)).copyCounting(NOTES, 0, source.host(), source.port());
        store.list();
        store.engineBytes();
        store.drop(NOTES.getName(), 1);
        assertThatThrownBy(() -> new ShardCopier(local, 64L << 20, Duration.ofSeconds(30))
                .copy(NOTES, 1, source.host(), source.port())).isInstanceOf(ShardNotFoundException.class);
        local.client().execute("(count (set notes__1__copy (table [id] (list [1]))))"); // left by a copy that died
        store.dropStaging();
        Object copied;
        try (TCPClient c = new TCPClient(source.host(), source.port())) {
            copied = c.executeReadOnly("notes__0");
        }

        DataPathEntryCheck check = new DataPathEntryCheck();
        int writes = 0;
        for (JournalEntry e : entries(local.journal().journal())) {
            if (e.restricted()) {
                continue;
            }
            assertThat(check.check(e).kind()).as("entry %s: %s", e, DataPathEntryCheck.poison(e, "").text())
                    .isEqualTo(EntryVerdict.Kind.KEEP);
            writes++;
        }
        assertThat(writes).as("create, create, copy pages and rename, drop, staging set and drop").isGreaterThan(6);
        List<JournalEntry> onSource = entries(Path.of(sourceBase + ".log"));
        assertThat(onSource.subList(1, onSource.size())).as("the copies' reads on the source").allMatch(JournalEntry::restricted);
        assertThat(FrameHeader.read(ByteBuffer.wrap(onSource.get(0).frame())).flags()).isZero();

        local.close();
        EngineSupervisor again = local();
        assertThat(again.quarantinedEntries()).isZero();
        assertThat(again.client().execute("notes__0")).isEqualTo(copied);
        assertThat(again.client().execute("(type (resolve 'notes__1))").toString()).contains("null");
        assertThat(again.client().execute("(type (resolve 'notes__1__copy))").toString()).contains("null");
    }
}
