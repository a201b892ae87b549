package io.rayforce.cluster.node.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The files of one engine journal base {@code BASE} (the engine's {@code -l BASE}) and the node
 * agent's own files beside them:
 *
 * <ul>
 *   <li>the engine's: {@code BASE.log} (the live journal), {@code BASE.lk} (its lock),
 *   {@code BASE.qdb} (the last snapshot) and the archived journals
 *   {@code BASE.<UTC stamp>Z[.N].log} that {@code (.log.roll)} and {@code (.log.snapshot)} leave
 *   behind and the engine never reads again;</li>
 *   <li>the agent's: the journal segments {@code BASE.<seq>.seg} ({@link JournalSegment}), the
 *   quarantine {@code BASE.quarantine} ({@link Quarantine}), unreadable bytes cut from a journal
 *   {@code BASE.<gen>.<offset>.torn}, and the scratch directory {@code BASE.scratch} of a
 *   poison-entry search ({@link PoisonEntryFinder}).</li>
 * </ul>
 */
public final class JournalFiles {
    /** Bytes of an empty journal: the engine's preamble ({@code RAYJLG1\0} and the generation id). */
    public static final long HEADER_BYTES = JournalFormat.PREAMBLE_BYTES;
    /** The suffix of a file being written; it is renamed into place once complete and synced. */
    static final String TEMP_SUFFIX = ".tmp";

    private final Path base;
    private final String leaf;
    private final Pattern archive;
    private final Pattern segment;

    public JournalFiles(Path base) {
        this.base = base.toAbsolutePath();
        this.leaf = this.base.getFileName().toString();
        this.archive = Pattern.compile(Pattern.quote(leaf) + "\\.\\d{4}\\.\\d{2}\\.\\d{2}T\\d{2}\\.\\d{2}\\.\\d{2}Z(\\.\\d+)?\\.log");
        this.segment = Pattern.compile(Pattern.quote(leaf) + "\\.(\\d{12})\\.seg");
    }

    /** The base path given to the engine. */
    public Path base() {
        return base;
    }

    public Path directory() {
        return base.getParent();
    }

    public Path journal() {
        return sibling(".log");
    }

    public Path snapshot() {
        return sibling(".qdb");
    }

    public Path lock() {
        return sibling(".lk");
    }

    public Path quarantine() {
        return sibling(".quarantine");
    }

    /** Where a poison-entry search runs its scratch engine. */
    public Path scratch() {
        return sibling(".scratch");
    }

    Path segment(long seq) {
        return sibling(String.format(".%012d.seg", seq));
    }

    /** Where bytes that are not a valid frame, cut from a journal of generation {@code gen} at {@code offset}, are kept. */
    Path torn(long gen, long offset) {
        return sibling("." + gen + "." + offset + ".torn");
    }

    private Path sibling(String suffix) {
        return base.resolveSibling(leaf + suffix);
    }

    /** The live journal's generation id (0 when there is none, or it has no preamble). */
    public long journalGeneration() {
        return JournalFormat.probe(journal()).generation();
    }

    /** Current size of the live journal, 0 when there is none yet. */
    public long journalBytes() {
        return size(journal());
    }

    static long size(Path p) {
        try {
            return Files.exists(p) ? Files.size(p) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * The archived journals in the order they were written: by last modification (an archive is
     * written to until it is rolled, the next one only after), then by name.
     */
    public List<Path> archives() {
        List<Path> out = list(p -> archive.matcher(p.getFileName().toString()).matches());
        out.sort(Comparator.comparing(JournalFiles::modified).thenComparing(Path::toString));
        return out;
    }

    /** The segment files, by sequence number. */
    List<Path> segmentFiles() {
        List<Path> out = list(p -> segment.matcher(p.getFileName().toString()).matches());
        out.sort(Comparator.comparing(Path::toString));
        return out;
    }

    /** The sequence number in a segment file's name. */
    long segmentSeq(Path p) {
        Matcher m = segment.matcher(p.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException(p + " is not a journal segment of " + base);
        }
        return Long.parseLong(m.group(1));
    }

    /** Files of this base left half-written ({@code *.tmp}) by an agent that died while writing them. */
    List<Path> temporaries() {
        return list(p -> {
            String n = p.getFileName().toString();
            return n.startsWith(leaf + ".") && n.endsWith(TEMP_SUFFIX);
        });
    }

    private List<Path> list(java.util.function.Predicate<Path> filter) {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory())) {
            files.filter(filter).forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory() + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
