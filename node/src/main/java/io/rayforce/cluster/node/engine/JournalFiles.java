package io.rayforce.cluster.node.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The files of one engine journal base {@code BASE} (the engine's {@code -l BASE}):
 * {@code BASE.log} (the journal), {@code BASE.lk} (its lock), {@code BASE.qdb} (the last
 * snapshot) and the archived journals {@code BASE.<UTC stamp>Z[.N].log} that
 * {@code (.log.snapshot)} leaves behind and nothing ever reads again.
 */
public final class JournalFiles {
    /** Bytes of an empty journal: the file header ({@code RAYJLG1\0} and version fields). */
    public static final long HEADER_BYTES = 16;

    private final Path base;
    private final Pattern archive;

    public JournalFiles(Path base) {
        this.base = base.toAbsolutePath();
        this.archive = Pattern.compile(Pattern.quote(this.base.getFileName().toString())
                + "\\.\\d{4}\\.\\d{2}\\.\\d{2}T\\d{2}\\.\\d{2}\\.\\d{2}Z(\\.\\d+)?\\.log");
    }

    /** The base path given to the engine. */
    public Path base() {
        return base;
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

    private Path sibling(String suffix) {
        return base.resolveSibling(base.getFileName() + suffix);
    }

    /** Current size of the journal, 0 when there is none yet. */
    public long journalBytes() {
        try {
            return Files.exists(journal()) ? Files.size(journal()) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** The archived journals, oldest name first. */
    public List<Path> archives() {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(base.getParent())) {
            files.filter(p -> archive.matcher(p.getFileName().toString()).matches()).sorted().forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + base.getParent() + ": " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * Deletes the archived journals, but only once a snapshot exists (it holds everything they
     * did). Returns how many were deleted.
     */
    public int deleteArchives() {
        if (!Files.exists(snapshot())) {
            return 0;
        }
        int n = 0;
        for (Path p : archives()) {
            try {
                if (Files.deleteIfExists(p)) {
                    n++;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete the archived journal " + p + ": " + e.getMessage(), e);
            }
        }
        return n;
    }
}
