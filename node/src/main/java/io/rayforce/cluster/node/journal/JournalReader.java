package io.rayforce.cluster.node.journal;

import io.rayforce.cluster.client.ipc.Wire;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the frames of a journal file one at a time, from a given offset, with the checks the
 * engine's replay makes: the {@code FA DE FA CE} prefix, wire version 3, endian 0, a payload of 1
 * byte to 256 MiB, and the whole payload present. The first frame that fails them ends the
 * reading: {@link #badFrameAt()} then tells where, and why ({@link #badFrameReason()}); the engine
 * itself would stop its recovery there with exit 2.
 */
final class JournalReader implements AutoCloseable {
    private final Path file;
    private final InputStream in;
    private long position;
    private int index;
    private long badFrameAt = -1;
    private String badFrameReason = "";

    private JournalReader(Path file, InputStream in, long position) {
        this.file = file;
        this.in = in;
        this.position = position;
    }

    /** Reads {@code file}'s frames starting at byte {@code from}. */
    static JournalReader open(Path file, long from) {
        try {
            InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            long skipped = 0;
            while (skipped < from) {
                long n = in.skip(from - skipped);
                if (n <= 0) {
                    break; // past the end: nothing to read (a log shorter than what a snapshot covers)
                }
                skipped += n;
            }
            return new JournalReader(file, in, from);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journal " + file + ": " + e.getMessage(), e);
        }
    }

    /** The next entry, or null at the end of the file or at a frame that is not valid. */
    JournalEntry next() {
        if (badFrameAt >= 0) {
            return null;
        }
        try {
            byte[] header = in.readNBytes(Wire.HEADER_BYTES);
            if (header.length == 0) {
                return null;
            }
            if (header.length < Wire.HEADER_BYTES) {
                return bad("a frame header cut short (" + header.length + " of 16 bytes)");
            }
            ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
            if (h.getInt(0) != Wire.MAGIC) {
                return bad("no frame prefix FA DE FA CE");
            }
            if ((header[4] & 0xFF) != Wire.VERSION || header[6] != 0) {
                return bad("wire version " + (header[4] & 0xFF) + ", endian " + header[6]);
            }
            long size = h.getLong(8);
            if (size < 1 || size > Wire.MAX_PAYLOAD_BYTES) {
                return bad("a payload size of " + size + " bytes");
            }
            byte[] frame = new byte[Wire.HEADER_BYTES + (int) size];
            System.arraycopy(header, 0, frame, 0, Wire.HEADER_BYTES);
            int got = in.readNBytes(frame, Wire.HEADER_BYTES, (int) size);
            if (got < size) {
                return bad("a payload cut short (" + got + " of " + size + " bytes)");
            }
            JournalEntry e = new JournalEntry(index++, position, frame);
            position += frame.length;
            return e;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journal " + file + " at byte " + position + ": " + e.getMessage(), e);
        }
    }

    private JournalEntry bad(String why) {
        badFrameAt = position;
        badFrameReason = why;
        return null;
    }

    /** Where the frame that ended the reading starts, or -1 when the file ended cleanly (so far). */
    long badFrameAt() {
        return badFrameAt;
    }

    String badFrameReason() {
        return badFrameReason;
    }

    /** The offset of the next frame (after the last one read). */
    long position() {
        return position;
    }

    Path file() {
        return file;
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
