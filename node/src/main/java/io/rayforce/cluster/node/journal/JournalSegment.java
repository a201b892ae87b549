package io.rayforce.cluster.node.journal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One of the node agent's journal segments, {@code BASE.<seq>.seg}: a 64-byte header, then (for
 * {@link Kind#REQUESTS}) frames exactly as the engine journaled them. A segment says where its
 * content came from, so that every step of the journal's upkeep can be repeated after a crash
 * without losing or doubling a request (docs/node.md, The journal).
 *
 * <pre>
 *  0  "RFCJSEG1"
 *  8  i64 seq                 order among segments
 * 16  i64 snapshotGeneration  the covered generation of BASE.qdb when the segment was written:
 *                             once the snapshot names another one, the segment is covered
 * 24  i64 sourceGeneration    the journal (log generation) its content came from
 * 32  i64 sourceFrom          that log's bytes sourceFrom..sourceTo are accounted for by this segment
 * 40  i64 sourceTo
 * 48  i32 kind                0 REQUESTS, 1 PREFIX
 * 52  i32 0, 56 i64 0         reserved
 * </pre>
 *
 * @param kind {@link Kind#REQUESTS}: the requests of that byte range a replay must repeat (the
 *             others dropped or quarantined); {@link Kind#PREFIX}: no frames; that byte range of
 *             the log is the replay of the REQUESTS segments before this one, written there by the
 *             agent before an engine start, so only what follows it is new
 */
record JournalSegment(Path file, long seq, long snapshotGeneration, long sourceGeneration, long sourceFrom, long sourceTo,
                      Kind kind) {
    static final int HEADER_BYTES = 64;
    private static final byte[] MAGIC = "RFCJSEG1".getBytes(StandardCharsets.US_ASCII);

    enum Kind { REQUESTS, PREFIX }

    byte[] header() {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putLong(seq).putLong(snapshotGeneration).putLong(sourceGeneration).putLong(sourceFrom).putLong(sourceTo)
                .putInt(kind.ordinal());
        return b.array();
    }

    /** Reads a segment's header. */
    static JournalSegment read(Path file) {
        byte[] h;
        try (InputStream in = Files.newInputStream(file)) {
            h = in.readNBytes(HEADER_BYTES);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journal segment " + file + ": " + e.getMessage(), e);
        }
        if (h.length < HEADER_BYTES || !Arrays.equals(Arrays.copyOf(h, MAGIC.length), MAGIC)) {
            throw new IllegalStateException("the journal segment " + file + " has no valid header");
        }
        ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
        int kind = b.getInt(48);
        if (kind < 0 || kind >= Kind.values().length) {
            throw new IllegalStateException("the journal segment " + file + " has unknown kind " + kind);
        }
        return new JournalSegment(file, b.getLong(8), b.getLong(16), b.getLong(24), b.getLong(32), b.getLong(40),
                Kind.values()[kind]);
    }

    /** Bytes of frames in the file. */
    long frameBytes() {
        return Math.max(0, JournalFiles.size(file) - HEADER_BYTES);
    }

    /** Not yet in the snapshot whose marker is {@code snapshot}. */
    boolean uncoveredBy(SnapshotMarker snapshot) {
        return snapshotGeneration == snapshot.generation();
    }

    @Override
    public String toString() {
        return file.getFileName() + "[" + kind + " of log " + sourceGeneration + " bytes " + sourceFrom + ".." + sourceTo
                + ", after snapshot " + snapshotGeneration + "]";
    }
}
