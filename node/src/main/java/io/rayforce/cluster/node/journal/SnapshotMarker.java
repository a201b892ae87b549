package io.rayforce.cluster.node.journal;

import io.rayforce.cluster.client.ipc.Compression;
import io.rayforce.cluster.client.ipc.Wire;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What the engine's snapshot {@code BASE.qdb} covers: the generation of the journal that was live
 * when it was taken and how many bytes of it (the engine's {@code .journal.covered} marker, the
 * dict's last key; its value, the i64 vector {@code [generation bytes]}, is the file's last 26
 * bytes {@code 05 00 | 02 00 00 00 00 00 00 00 | gen | len}). Everything journaled before that
 * point, in that log and in every log before it, is in the snapshot.
 *
 * @param generation   the covered log's generation id; 0 when there is no snapshot (or an old one without the marker)
 * @param coveredBytes how many bytes of that log the snapshot holds (preamble included)
 */
public record SnapshotMarker(long generation, long coveredBytes) {
    public static final SnapshotMarker NONE = new SnapshotMarker(0, 0);
    static final String COVER_KEY = ".journal.covered";
    private static final int MARKER_BYTES = 26;

    /** The marker of the snapshot at {@code qdb}; {@link #NONE} when there is none or it carries no marker. */
    public static SnapshotMarker read(Path qdb) {
        if (!Files.isRegularFile(qdb)) {
            return NONE;
        }
        try (FileChannel ch = FileChannel.open(qdb, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < Wire.HEADER_BYTES + MARKER_BYTES) {
                return NONE;
            }
            ByteBuffer header = readAt(ch, 0, Wire.HEADER_BYTES);
            if (header.getInt(0) != Wire.MAGIC) {
                return NONE;
            }
            boolean compressed = (header.get(5) & Wire.FLAG_COMPRESSED) != 0;
            byte[] tail;
            String lastKey;
            if (compressed) {
                byte[] payload = Compression.decompress(readAt(ch, Wire.HEADER_BYTES, (int) (size - Wire.HEADER_BYTES)).array());
                lastKey = lastKey(new ByteArrayInputStream(payload));
                tail = java.util.Arrays.copyOfRange(payload, payload.length - MARKER_BYTES, payload.length);
            } else {
                try (InputStream in = new BufferedInputStream(Files.newInputStream(qdb), 1 << 16)) {
                    in.skipNBytes(Wire.HEADER_BYTES);
                    lastKey = lastKey(in);
                }
                tail = readAt(ch, size - MARKER_BYTES, MARKER_BYTES).array();
            }
            if (!COVER_KEY.equals(lastKey)) {
                return NONE;
            }
            ByteBuffer t = ByteBuffer.wrap(tail).order(ByteOrder.LITTLE_ENDIAN);
            if (t.get(0) != 5 || t.get(1) != 0 || t.getLong(2) != 2) {
                return NONE;
            }
            return new SnapshotMarker(t.getLong(10), t.getLong(18));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the snapshot " + qdb + ": " + e.getMessage(), e);
        }
    }

    /** The last key of the dict at the start of {@code in}: type 99, then the keys as a symbol vector. */
    private static String lastKey(InputStream in) throws IOException {
        byte[] head = in.readNBytes(12);
        if (head.length < 12 || head[0] != 99 || head[2] != 12) {
            return null;
        }
        long count = ByteBuffer.wrap(head, 4, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String last = null;
        java.io.ByteArrayOutputStream name = new java.io.ByteArrayOutputStream();
        for (long i = 0; i < count; i++) {
            name.reset();
            int b;
            while ((b = in.read()) > 0) {
                name.write(b);
            }
            if (b < 0) {
                return null;
            }
            last = name.toString(StandardCharsets.UTF_8);
        }
        return last;
    }

    private static ByteBuffer readAt(FileChannel ch, long at, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) {
                throw new IOException("unexpected end of file at byte " + (at + b.position()));
            }
        }
        return b;
    }

    public boolean exists() {
        return generation != 0;
    }
}
