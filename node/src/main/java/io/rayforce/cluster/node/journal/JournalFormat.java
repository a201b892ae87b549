package io.rayforce.cluster.node.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Set;

/**
 * The engine's journal file format (docs/engine.md §2.1), as the node agent reads and writes it.
 * A journal is a 16-byte preamble, {@code RAYJLG1\0} then the i64 generation id of this log,
 * followed by one IPC frame per journaled request: the 16-byte header ({@code FA DE FA CE},
 * version 3, flags, endian 0, message type, i64 payload size) and the payload exactly as it came
 * in. A log without the preamble (older engines) has generation 0 and frames from byte 0.
 */
final class JournalFormat {
    static final int PREAMBLE_BYTES = 16;
    static final byte[] MAGIC = "RAYJLG1\0".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private JournalFormat() {
    }

    /** A log's generation id and where its frames start. */
    record Preamble(long generation, long framesStart) {
        static final Preamble NONE = new Preamble(0, 0);
    }

    /** The preamble of the log at {@code path} ({@link Preamble#NONE} for a missing, empty or headerless log). */
    static Preamble probe(Path path) {
        if (!Files.isRegularFile(path)) {
            return Preamble.NONE;
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(PREAMBLE_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining() && ch.read(b) > 0) {
                // fill
            }
            if (b.position() < PREAMBLE_BYTES || !Arrays.equals(Arrays.copyOf(b.array(), MAGIC.length), MAGIC)) {
                return Preamble.NONE;
            }
            return new Preamble(b.getLong(8), PREAMBLE_BYTES);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journal " + path + ": " + e.getMessage(), e);
        }
    }

    /** The preamble of a new log of generation {@code gen}. */
    static byte[] preamble(long gen) {
        ByteBuffer b = ByteBuffer.allocate(PREAMBLE_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putLong(gen);
        return b.array();
    }

    /**
     * A generation id for a log the agent writes: the engine's own scheme (wall-clock ms shifted
     * left 12 bits, a 12-bit salt; here random), never one of {@code taken} or 0.
     */
    static long freshGeneration(Set<Long> taken) {
        while (true) {
            long gen = (System.currentTimeMillis() << 12) | RANDOM.nextInt(1 << 12);
            if (gen != 0 && !taken.contains(gen)) {
                return gen;
            }
        }
    }

    /** Forces a file's content to disk. */
    static void fsync(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sync " + file + ": " + e.getMessage(), e);
        }
    }

    /** Makes renames and deletions in a directory durable (best effort where a directory cannot be opened). */
    static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some file systems refuse to open a directory; the rename itself was atomic
        }
    }

    static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + p + ": " + e.getMessage(), e);
        }
    }
}
