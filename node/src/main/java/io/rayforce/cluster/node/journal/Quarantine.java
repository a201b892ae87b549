package io.rayforce.cluster.node.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where journal entries that must never be replayed go: the file {@code BASE.quarantine}, in the
 * engine's journal format (a preamble of generation 0, then the frames as they were journaled),
 * so an operator can read them with the same tools. Every entry put here is named in one log
 * line (where it was, the refused function, a short text) and counted.
 *
 * <p>An entry is appended (and synced) before it is removed from the journal it came from, so an
 * agent that dies in between quarantines it again on the next start: the file may then hold it
 * twice, the journal never.
 */
public final class Quarantine {
    private static final Logger log = LoggerFactory.getLogger(Quarantine.class);

    private final Path file;
    private final AtomicLong count = new AtomicLong();

    public Quarantine(Path file) {
        this.file = file;
    }

    /**
     * Keeps {@code entry} (from {@code source}, e.g. {@code engine.log}) in the quarantine file and
     * logs why.
     */
    public void add(JournalEntry entry, String source, EntryVerdict why) {
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            if (out.size() == 0) {
                write(out, JournalFormat.preamble(0));
            }
            write(out, entry.frame());
            out.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the quarantine " + file + ": " + e.getMessage(), e);
        }
        count.incrementAndGet();
        log.error("journal entry #{} at byte {} of {} quarantined ('{}'{}): {}; kept in {}, never replayed",
                entry.index(), entry.offset(), source, why.function(), why.reason().isEmpty() ? "" : ": " + shorten(why.reason()),
                why.text().isEmpty() ? "(" + entry.length() + " bytes)" : why.text(), file.getFileName());
    }

    private static String shorten(String reason) {
        return reason.length() <= 160 ? reason : reason.substring(0, 160) + "...";
    }

    private static void write(FileChannel out, byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            out.write(b);
        }
    }

    /** Entries quarantined by this process. */
    public long count() {
        return count.get();
    }

    public Path file() {
        return file;
    }

    /** Every entry in the quarantine file, oldest first. */
    public List<JournalEntry> entries() {
        List<JournalEntry> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        try (JournalReader r = JournalReader.open(file, JournalFormat.probe(file).framesStart())) {
            for (JournalEntry e = r.next(); e != null; e = r.next()) {
                out.add(e);
            }
        }
        return out;
    }
}
