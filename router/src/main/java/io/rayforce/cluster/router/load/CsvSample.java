package io.rayforce.cluster.router.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The rows of a CSV file the engine's reader looks at to infer types: up to
 * {@value #ROWS} data rows spread evenly over the whole file, the first and the last among them
 * (row {@code i * (n - 1) / (ROWS - 1)} of the {@code n} rows after the header), or all rows of a
 * smaller file. One pass over the bytes counts the rows and notes where every
 * {@value #STRIDE}th row starts; each chosen row is then read from the nearest noted start. Rows
 * end at a line feed outside double quotes (a carriage return before it is dropped), as the
 * engine splits them.
 */
final class CsvSample {
    /** Rows sampled (the engine's {@code CSV_SAMPLE_ROWS}). */
    static final int ROWS = 4096;
    /** Every this many rows, where the row starts is noted. */
    static final int STRIDE = 32;
    private static final int BLOCK = 1 << 20;

    /**
     * The header line (empty when the file has none), the sampled rows' text and the number of data
     * rows; whether any byte of the file is a double quote, and whether a carriage return
     * anywhere is not followed by a line feed (a reader then counts a line the row count here does
     * not); and where data row {@code k * STRIDE} starts ({@code strideStarts[k]}, for every such
     * row the file has).
     */
    record Lines(String header, List<String> rows, long dataRows, boolean quotes, boolean bareCarriageReturns,
            long[] strideStarts) {
        /** Where data row {@code r} starts; {@code r} a multiple of {@link #STRIDE} below {@link #dataRows()}. */
        long start(long r) {
            if (r % STRIDE != 0 || r < 0 || r >= dataRows) {
                throw new IllegalArgumentException("no noted start for row " + r);
            }
            return strideStarts[(int) (r / STRIDE)];
        }
    }

    private CsvSample() {
    }

    static Lines of(Path path, boolean header) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            Starts starts = count(ch, header);
            long n = starts.rows;
            String head = header ? line(ch, 0, false) : "";
            if (head.startsWith("\uFEFF")) {
                head = head.substring(1);
            }
            List<String> rows = new ArrayList<>((int) Math.min(n, ROWS));
            for (int i = 0; i < Math.min(n, ROWS); i++) {
                long r = n <= ROWS ? i : i * (n - 1) / (ROWS - 1);
                rows.add(row(ch, starts, r));
            }
            int noted = (int) ((n + STRIDE - 1) / STRIDE);
            return new Lines(head, rows, n, starts.anyQuote, starts.bareCr, Arrays.copyOf(starts.offsets, noted));
        }
    }

    /** The data rows, and where every {@link #STRIDE}th one starts (with the quote state there). */
    private static final class Starts {
        long rows;
        boolean anyQuote;
        boolean bareCr;
        long[] offsets = new long[1024];
        boolean[] quoted = new boolean[1024];

        void note(long row, long offset, boolean inQuotes) {
            int k = (int) (row / STRIDE);
            if (k >= offsets.length) {
                offsets = Arrays.copyOf(offsets, offsets.length * 2);
                quoted = Arrays.copyOf(quoted, quoted.length * 2);
            }
            offsets[k] = offset;
            quoted[k] = inQuotes;
        }
    }

    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long QUOTES = 0x2222222222222222L;
    private static final long RETURNS = 0x0D0D0D0D0D0D0D0DL;
    private static final long LOW = 0x0101010101010101L;
    private static final long HIGH = 0x8080808080808080L;

    /** Whether any byte of {@code word} is zero (the classic bit trick; exact, no false positives). */
    private static boolean hasZero(long word) {
        return ((word - LOW) & ~word & HIGH) != 0;
    }

    private static Starts count(FileChannel ch, boolean header) throws IOException {
        Starts s = new Starts();
        ByteBuffer bb = ByteBuffer.allocate(BLOCK).order(ByteOrder.LITTLE_ENDIAN);
        byte[] buf = bb.array();
        long row = header ? -1 : 0;
        boolean quoted = false;
        boolean started = false;
        boolean cr = false;
        long pos = 0;
        if (row == 0) {
            s.note(0, 0, false);
        }
        for (int got = ch.read(bb, pos); got > 0; got = ch.read(bb.clear(), pos)) {
            for (int i = 0; i < got; i++) {
                // eight bytes at a time while none is a line feed, a quote or a carriage return
                while (i + 8 <= got && !cr) {
                    long w = bb.getLong(i);
                    if (hasZero(w ^ NEWLINES) || hasZero(w ^ QUOTES) || hasZero(w ^ RETURNS)) {
                        break;
                    }
                    started = true;
                    i += 8;
                }
                if (i >= got) {
                    break;
                }
                byte b = buf[i];
                if (cr && b != '\n') {
                    s.bareCr = true;
                }
                cr = b == '\r';
                if (b == '\n') {
                    if (!quoted) {
                        row++;
                        started = false;
                        if (row % STRIDE == 0) {
                            s.note(row, pos + i + 1, false);
                        }
                        continue;
                    }
                } else if (b == '"') {
                    quoted = !quoted;
                    s.anyQuote = true;
                }
                started = true;
            }
            pos += got;
        }
        if (cr) {
            s.bareCr = true;
        }
        if (started) {
            row++;
        }
        s.rows = Math.max(0, row);
        return s;
    }

    /** Row {@code r} (0 is the first data row): found from the nearest noted start. */
    private static String row(FileChannel ch, Starts s, long r) throws IOException {
        int k = (int) (r / STRIDE);
        long at = s.offsets[k];
        for (long skip = r - (long) k * STRIDE; skip > 0; skip--) {
            at = lineEnd(ch, at, false) + 1;
        }
        return line(ch, at, s.quoted[k]);
    }

    /** Where the line starting at {@code at} ends: its line feed's offset (outside quotes), or the file's end. */
    private static long lineEnd(FileChannel ch, long at, boolean quotedStart) throws IOException {
        ByteBuffer bb = ByteBuffer.allocate(8192);
        boolean quoted = quotedStart;
        long pos = at;
        for (int got = ch.read(bb, pos); got > 0; got = ch.read(bb.clear(), pos)) {
            for (int i = 0; i < got; i++) {
                byte b = bb.get(i);
                if (b == '"') {
                    quoted = !quoted;
                } else if (b == '\n' && !quoted) {
                    return pos + i;
                }
            }
            pos += got;
        }
        return pos;
    }

    /** The text of the line starting at {@code at}, without its line end. */
    private static String line(FileChannel ch, long at, boolean quotedStart) throws IOException {
        int len = (int) Math.min(Integer.MAX_VALUE - 16, lineEnd(ch, at, quotedStart) - at);
        ByteBuffer bytes = ByteBuffer.allocate(len);
        while (bytes.hasRemaining() && ch.read(bytes, at + bytes.position()) > 0) {
            // reads the line's bytes
        }
        int n = len > 0 && bytes.get(len - 1) == '\r' ? len - 1 : len;
        return new String(bytes.array(), 0, n, StandardCharsets.UTF_8);
    }
}
