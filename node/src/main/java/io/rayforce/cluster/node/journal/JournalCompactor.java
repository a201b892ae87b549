package io.rayforce.cluster.node.journal;

import io.rayforce.cluster.node.journal.JournalFormat.Preamble;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an engine's journal to the requests a replay must repeat (docs/node.md, The journal).
 *
 * <p>Every entry is judged once: an entry sent restricted is dropped (its replay can change
 * nothing), the others go to the {@link EntryCheck}: a write is kept, a request that changes
 * nothing is dropped, one the data-path rule refuses goes to the {@link Quarantine}. Kept entries
 * are copied byte for byte.
 *
 * <ul>
 *   <li>{@link #foldArchives()}, while the engine runs (after a {@code (.log.roll)} or
 *   {@code (.log.snapshot)}): every archived journal becomes a segment holding its kept entries
 *   (its part the snapshot covers left out) and is deleted; segments the snapshot covers are
 *   deleted.</li>
 *   <li>{@link #prepareForStart()}, while no engine runs: archives are folded the same way, then
 *   the live journal is rewritten (temporary file, fsync, rename) with a fresh generation id, so
 *   the engine replays all of it: the segments the snapshot does not cover, in order, then the
 *   kept entries of the old live journal past what segments and snapshot already hold. A
 *   {@link JournalSegment.Kind#PREFIX} segment, written before the rename, records that the new
 *   journal begins with the segments' entries.</li>
 * </ul>
 *
 * Each step writes its result in full before it deletes its input, and each input says what of it
 * is already accounted for (the snapshot's coverage marker, the segments' source ranges), so an
 * agent that dies between any two steps repeats the step on its next start, losing nothing and
 * applying nothing twice.
 */
public final class JournalCompactor {
    private static final Logger log = LoggerFactory.getLogger(JournalCompactor.class);

    private final JournalFiles files;
    private final EntryCheck check;
    private final Quarantine quarantine;

    public JournalCompactor(JournalFiles files, EntryCheck check) {
        this.files = files;
        this.check = check;
        this.quarantine = new Quarantine(files.quarantine());
    }

    public Quarantine quarantine() {
        return quarantine;
    }

    public JournalFiles files() {
        return files;
    }

    /** A file the engine's replay reads, from byte {@code from}, as it stands after {@link #prepareForStart()}. */
    public record ReplaySource(Path file, long from) {
    }

    /**
     * What a start will replay.
     *
     * @param sources  what the engine's replay of the new journal amounts to: the uncovered segments,
     *                 then the live journal past its prefix (the same entries, in the same order)
     * @param snapshot the snapshot the engine loads first
     */
    public record Recovery(CompactionReport report, List<ReplaySource> sources, SnapshotMarker snapshot) {
    }

    /**
     * Before an engine start (no engine may run on this journal): folds the archives, rewrites the
     * live journal with everything the snapshot does not cover, and deletes what it covers.
     */
    public synchronized Recovery prepareForStart() {
        long t0 = System.nanoTime();
        Tally t = new Tally();
        SnapshotMarker snap = SnapshotMarker.read(files.snapshot());
        if (JournalLockProbe.held(files.lock())) {
            log.warn("the journal {} is locked by a running process: not compacted", files.journal());
            return new Recovery(t.report(System.nanoTime() - t0, false), List.of(new ReplaySource(files.journal(),
                    JournalFormat.probe(files.journal()).framesStart())), snap);
        }
        for (Path tmp : files.temporaries()) {
            JournalFormat.delete(tmp);
        }
        List<JournalSegment> segs = segments();
        fold(files.archives(), snap, segs, t);

        Path live = files.journal();
        boolean liveExists = JournalFiles.size(live) > 0;
        Preamble old = JournalFormat.probe(live);
        List<JournalSegment> replay = new ArrayList<>();
        for (JournalSegment s : segs) {
            if (s.kind() == JournalSegment.Kind.REQUESTS && s.uncoveredBy(snap)) {
                replay.add(s);
            }
        }
        List<ReplaySource> sources = new ArrayList<>();
        if (!liveExists && replay.isEmpty()) {
            cleanup(snap, segs, 0);
            return new Recovery(t.report(System.nanoTime() - t0, false), sources, snap);
        }
        long from = liveExists ? absorbed(old.generation(), old.framesStart(), snap, segs) : 0;
        Set<Long> taken = new HashSet<>();
        taken.add(snap.generation());
        taken.add(old.generation());
        segs.forEach(s -> taken.add(s.sourceGeneration()));
        long gen = JournalFormat.freshGeneration(taken);
        long prefixEnd;
        try (JournalWriter w = JournalWriter.create(live, JournalFormat.preamble(gen))) {
            for (JournalSegment s : replay) {
                w.copy(s.file(), JournalSegment.HEADER_BYTES, JournalFiles.size(s.file()));
                sources.add(new ReplaySource(s.file(), JournalSegment.HEADER_BYTES));
            }
            prefixEnd = w.position();
            if (liveExists) {
                t.bytesRead += Math.max(0, JournalFiles.size(live) - from);
                try (JournalReader r = JournalReader.open(live, from)) {
                    compact(r, w, old.generation(), t);
                }
            }
            if (prefixEnd > JournalFormat.PREAMBLE_BYTES) {
                segs.add(writeMarker(nextSeq(segs), snap, gen, prefixEnd));
            }
            w.commit();
        }
        sources.add(new ReplaySource(live, prefixEnd));
        t.bytesWritten = JournalFiles.size(live);
        cleanup(snap, segs, gen);
        CompactionReport report = t.report(System.nanoTime() - t0, true);
        log.info("journal {} rewritten for the engine start (generation {}): {}; {} segment(s) replayed first",
                live.getFileName(), gen, report, replay.size());
        return new Recovery(report, sources, snap);
    }

    /**
     * While the engine runs: folds every archived journal into a segment and deletes it, then
     * deletes the segments the snapshot covers. Returns the report (archives folded in {@code files}).
     */
    public synchronized CompactionReport foldArchives() {
        long t0 = System.nanoTime();
        Tally t = new Tally();
        SnapshotMarker snap = SnapshotMarker.read(files.snapshot());
        List<JournalSegment> segs = segments();
        fold(files.archives(), snap, segs, t);
        cleanup(snap, segs, JournalFormat.probe(files.journal()).generation());
        return t.report(System.nanoTime() - t0, false);
    }

    /** Bytes of journaled requests the snapshot does not hold: uncovered segments and the live journal. */
    public synchronized long uncoveredBytes() {
        SnapshotMarker snap = SnapshotMarker.read(files.snapshot());
        long n = files.journalBytes();
        for (JournalSegment s : segments()) {
            if (s.kind() == JournalSegment.Kind.REQUESTS && s.uncoveredBy(snap)) {
                n += s.frameBytes();
            }
        }
        return n;
    }

    /** Bytes in segments the snapshot does not hold (kept writes only). */
    public synchronized long uncoveredSegmentBytes() {
        SnapshotMarker snap = SnapshotMarker.read(files.snapshot());
        long n = 0;
        for (JournalSegment s : segments()) {
            if (s.kind() == JournalSegment.Kind.REQUESTS && s.uncoveredBy(snap)) {
                n += s.frameBytes();
            }
        }
        return n;
    }

    /**
     * Moves the entry at byte {@code offset} of {@code file} (a segment, or the live journal while
     * no engine runs) to the quarantine, rewriting the file without it.
     */
    public synchronized void quarantineAt(Path file, long offset, EntryVerdict why) {
        boolean segment = !file.equals(files.journal());
        byte[] header;
        long framesStart;
        if (segment) {
            JournalSegment s = JournalSegment.read(file);
            header = s.header();
            framesStart = JournalSegment.HEADER_BYTES;
        } else {
            Preamble p = JournalFormat.probe(file);
            header = p.framesStart() == 0 ? new byte[0] : JournalFormat.preamble(p.generation());
            framesStart = p.framesStart();
        }
        boolean found = false;
        try (JournalWriter w = JournalWriter.create(file, header); JournalReader r = JournalReader.open(file, framesStart)) {
            for (JournalEntry e = r.next(); e != null; e = r.next()) {
                if (e.offset() == offset) {
                    quarantine.add(e, file.getFileName().toString(), why);
                    found = true;
                } else {
                    w.append(e);
                }
            }
            if (!found) {
                throw new IllegalArgumentException("no journal entry starts at byte " + offset + " of " + file);
            }
            w.commit();
        }
    }

    /** Folds each archive into a segment (appended to {@code segs}) and deletes it. */
    private void fold(List<Path> archives, SnapshotMarker snap, List<JournalSegment> segs, Tally t) {
        if (archives.size() > 1) {
            log.warn("{} archived journals to fold ({}): normally there is at most one", archives.size(), archives);
        }
        for (Path a : archives) {
            Preamble p = JournalFormat.probe(a);
            long from = absorbed(p.generation(), p.framesStart(), snap, segs);
            long to = JournalFiles.size(a);
            if (from < to) {
                long seq = nextSeq(segs);
                JournalSegment seg = new JournalSegment(files.segment(seq), seq, snap.generation(), p.generation(), from, to,
                        JournalSegment.Kind.REQUESTS);
                t.bytesRead += to - from;
                try (JournalWriter w = JournalWriter.create(seg.file(), seg.header()); JournalReader r = JournalReader.open(a, from)) {
                    long keptBefore = t.kept;
                    compact(r, w, p.generation(), t);
                    if (t.kept > keptBefore) {
                        w.commit();
                        segs.add(seg);
                        t.bytesWritten += JournalFiles.size(seg.file());
                    }
                }
            }
            JournalFormat.delete(a);
            JournalFormat.fsyncDirectory(files.directory());
            t.files++;
        }
    }

    /**
     * Copies the entries of {@code r} that a replay must repeat into {@code w}. Kept entries that
     * follow each other in the file are copied as one run, file to file by the kernel
     * ({@link JournalWriter#copy(FileChannel, Path, long, long)}): a journal of large writes is
     * mostly kept, and copying it through this process's buffers took about a sixth of a node
     * agent's CPU under 10,000-row batch inserts.
     */
    private void compact(JournalReader r, JournalWriter w, long gen, Tally t) {
        String source = r.file().getFileName().toString();
        try (FileChannel in = FileChannel.open(r.file(), StandardOpenOption.READ)) {
            long runFrom = -1;
            long runTo = -1;
            for (JournalEntry e = r.next(); e != null; e = r.next()) {
                t.read++;
                EntryVerdict v = e.restricted() ? EntryVerdict.DROP : check.check(e);
                switch (v.kind()) {
                    case KEEP -> {
                        if (runTo != e.offset()) {
                            flush(in, r.file(), w, runFrom, runTo);
                            runFrom = e.offset();
                        }
                        runTo = e.offset() + e.length();
                        t.kept++;
                    }
                    case DROP -> t.dropped++;
                    case QUARANTINE -> {
                        quarantine.add(e, source, v);
                        t.quarantined++;
                    }
                }
            }
            flush(in, r.file(), w, runFrom, runTo);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journal " + r.file() + ": " + e.getMessage(), e);
        }
        if (r.badFrameAt() >= 0) {
            keepTorn(r.file(), gen, r.badFrameAt(), r.badFrameReason());
            t.torn++;
        }
    }

    /** Copies the run of kept entries {@code from..to} of {@code file} (nothing when there is none). */
    private static void flush(FileChannel in, Path file, JournalWriter w, long from, long to) {
        if (from >= 0 && to > from) {
            w.copy(in, file, from, to);
        }
    }

    /** Keeps the bytes of {@code file} from {@code at} on (not a valid frame) in their own file. */
    private void keepTorn(Path file, long gen, long at, String why) {
        Path out = files.torn(gen, at);
        long size = JournalFiles.size(file);
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
             FileChannel o = FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                     StandardOpenOption.WRITE)) {
            long pos = at;
            while (pos < size) {
                pos += in.transferTo(pos, size - pos, o);
            }
            o.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the unreadable end of " + file + ": " + e.getMessage(), e);
        }
        log.error("journal {}: the {} bytes from byte {} are not a valid frame ({}); cut off (the engine would stop its "
                + "recovery there) and kept in {}", file.getFileName(), size - at, at, why, out.getFileName());
    }

    /**
     * The offset from which a log of generation {@code gen} holds requests nothing else accounts
     * for: past the part the snapshot covers and the ranges segments hold.
     */
    private static long absorbed(long gen, long framesStart, SnapshotMarker snap, List<JournalSegment> segs) {
        long from = framesStart;
        if (gen == 0) {
            return from; // a log without a generation (older engines) is replayed whole, as the engine does
        }
        if (gen == snap.generation()) {
            from = Math.max(from, snap.coveredBytes());
        }
        for (JournalSegment s : segs) {
            if (s.sourceGeneration() == gen) {
                from = Math.max(from, s.sourceTo());
            }
        }
        return from;
    }

    private JournalSegment writeMarker(long seq, SnapshotMarker snap, long gen, long prefixEnd) {
        JournalSegment m = new JournalSegment(files.segment(seq), seq, snap.generation(), gen, JournalFormat.PREAMBLE_BYTES,
                prefixEnd, JournalSegment.Kind.PREFIX);
        try (JournalWriter w = JournalWriter.create(m.file(), m.header())) {
            w.commit();
        }
        return m;
    }

    /**
     * Deletes the segments the snapshot covers and the prefix markers of journals that no longer
     * exist ({@code liveGen} is the live journal's generation).
     */
    private void cleanup(SnapshotMarker snap, List<JournalSegment> segs, long liveGen) {
        Set<Long> archived = new HashSet<>();
        for (Path a : files.archives()) {
            archived.add(JournalFormat.probe(a).generation());
        }
        boolean snapshotSynced = false;
        int deleted = 0;
        for (JournalSegment s : segs) {
            boolean covered = !s.uncoveredBy(snap);
            boolean stale = s.kind() == JournalSegment.Kind.PREFIX && s.sourceGeneration() != liveGen
                    && !archived.contains(s.sourceGeneration());
            if (covered || stale) {
                if (covered && !snapshotSynced && s.kind() == JournalSegment.Kind.REQUESTS) {
                    JournalFormat.fsync(files.snapshot()); // the snapshot holds it now: make sure it is on disk
                    snapshotSynced = true;
                }
                JournalFormat.delete(s.file());
                deleted++;
            }
        }
        if (deleted > 0) {
            JournalFormat.fsyncDirectory(files.directory());
        }
    }

    /** The segments on disk, by sequence number (one with an unreadable header is set aside, with an error). */
    private List<JournalSegment> segments() {
        List<JournalSegment> out = new ArrayList<>();
        for (Path p : files.segmentFiles()) {
            try {
                out.add(JournalSegment.read(p));
            } catch (RuntimeException e) {
                Path aside = p.resolveSibling(p.getFileName() + ".bad");
                log.error("journal segment {} cannot be read ({}): set aside as {}", p.getFileName(), e.getMessage(),
                        aside.getFileName());
                try {
                    Files.move(p, aside, StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException io) {
                    throw new UncheckedIOException("cannot set aside " + p + ": " + io.getMessage(), io);
                }
            }
        }
        return out;
    }

    private static long nextSeq(List<JournalSegment> segs) {
        long max = 0;
        for (JournalSegment s : segs) {
            max = Math.max(max, s.seq());
        }
        return max + 1;
    }

    /** Counts of one pass. */
    private static final class Tally {
        long files;
        long read;
        long kept;
        long dropped;
        long quarantined;
        long torn;
        long bytesRead;
        long bytesWritten;

        CompactionReport report(long nanos, boolean rewritten) {
            return new CompactionReport(files, read, kept, dropped, quarantined, torn, bytesRead, bytesWritten, nanos / 1_000_000,
                    rewritten);
        }
    }
}
