package io.rayforce.cluster.node.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a journal file atomically: into {@code TARGET.tmp}, then {@link #commit()} forces it to
 * disk, renames it over {@code TARGET} and syncs the directory. A writer closed without a commit
 * deletes its temporary file, so {@code TARGET} is always either what it was or complete.
 */
final class JournalWriter implements AutoCloseable {
    private final Path target;
    private final Path temp;
    private final FileChannel out;
    private long position;
    private boolean done;

    private JournalWriter(Path target, Path temp, FileChannel out) {
        this.target = target;
        this.temp = temp;
        this.out = out;
    }

    /** Starts the file {@code target} with {@code header} (a preamble or a segment header). */
    static JournalWriter create(Path target, byte[] header) {
        Path temp = target.resolveSibling(target.getFileName() + JournalFiles.TEMP_SUFFIX);
        try {
            FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
            JournalWriter w = new JournalWriter(target, temp, ch);
            w.write(header);
            return w;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + temp + ": " + e.getMessage(), e);
        }
    }

    void append(JournalEntry e) {
        write(e.frame());
    }

    /** Appends bytes {@code from..to} of {@code source} as they are (frames already checked). */
    void copy(Path source, long from, long to) {
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
            copy(in, source, from, to);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + source + " into " + temp + ": " + e.getMessage(), e);
        }
    }

    /**
     * As {@link #copy(Path, long, long)} from an open channel on {@code source}: the kernel copies
     * the bytes from file to file, none passes through this process.
     */
    void copy(FileChannel in, Path source, long from, long to) {
        try {
            long at = from;
            while (at < to) {
                long n = in.transferTo(at, to - at, out);
                if (n <= 0) {
                    throw new IOException("unexpected end of " + source + " at byte " + at);
                }
                at += n;
            }
            position += to - from;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + source + " into " + temp + ": " + e.getMessage(), e);
        }
    }

    private void write(byte[] bytes) {
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                out.write(b);
            }
            position += bytes.length;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + temp + ": " + e.getMessage(), e);
        }
    }

    /** Bytes written so far, header included. */
    long position() {
        return position;
    }

    Path target() {
        return target;
    }

    /** Syncs the file, renames it into place and syncs the directory. */
    void commit() {
        try {
            out.force(true);
            out.close();
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            done = true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot put " + target + " in place: " + e.getMessage(), e);
        }
        JournalFormat.fsyncDirectory(target.getParent());
    }

    @Override
    public void close() {
        if (done) {
            return;
        }
        done = true;
        try {
            out.close();
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            // a leftover temporary file is deleted before the next engine start
        }
    }
}
