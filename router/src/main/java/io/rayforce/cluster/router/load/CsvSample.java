package io.rayforce.cluster.router.load;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The rows of a CSV file the engine's reader looks at to infer types: up to
 * {@value #ROWS} data rows spread evenly over the whole file, the first and the last among them
 * (row {@code i * (n - 1) / (ROWS - 1)} of the {@code n} rows after the header), or all rows of a
 * smaller file. Finding them takes two passes over the bytes: one counts the rows, one keeps the
 * chosen ones. Rows end at a line feed outside double quotes (a carriage return before it is
 * dropped), as the engine splits them.
 */
final class CsvSample {
    /** Rows sampled (the engine's {@code CSV_SAMPLE_ROWS}). */
    static final int ROWS = 4096;
    private static final int BLOCK = 1 << 20;

    /** The header line (empty when the file has none) and the sampled rows' text. */
    record Lines(String header, List<String> rows, long dataRows) {
    }

    private CsvSample() {
    }

    static Lines of(Path path, boolean header) throws IOException {
        long n = scan(path, header, null, null);
        long[] wanted;
        if (n <= ROWS) {
            wanted = new long[(int) n];
            for (int i = 0; i < n; i++) {
                wanted[i] = i;
            }
        } else {
            wanted = new long[ROWS];
            for (int i = 0; i < ROWS; i++) {
                wanted[i] = i * (n - 1) / (ROWS - 1);
            }
        }
        List<String> rows = new ArrayList<>(wanted.length);
        StringBuilder head = new StringBuilder();
        scan(path, header, wanted, new Collector(rows, head));
        return new Lines(head.toString(), rows, n);
    }

    /** Collects the text of the header and of the wanted rows. */
    private record Collector(List<String> rows, StringBuilder header) {
    }

    /**
     * Counts the data rows (answered); with {@code wanted} (ascending row numbers), also
     * collects the header's and those rows' text.
     */
    private static long scan(Path path, boolean header, long[] wanted, Collector out) throws IOException {
        byte[] buf = new byte[BLOCK];
        long row = header ? -1 : 0; // the row the bytes belong to; -1 is the header line
        boolean rowStarted = false;
        boolean quoted = false;
        int next = 0; // index into wanted
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        boolean keep = keeps(row, wanted, next, out);
        try (InputStream in = Files.newInputStream(path)) {
            for (int got = in.read(buf); got > 0; got = in.read(buf)) {
                int from = 0;
                for (int i = 0; i < got; i++) {
                    byte b = buf[i];
                    if (b == '"') {
                        quoted = !quoted;
                    } else if (b == '\n' && !quoted) {
                        if (keep) {
                            line.write(buf, from, i - from);
                            finish(line, row, out);
                            if (row >= 0) {
                                next++;
                            }
                        }
                        row++;
                        rowStarted = false;
                        from = i + 1;
                        keep = keeps(row, wanted, next, out);
                        continue;
                    }
                    rowStarted = true;
                }
                if (keep) {
                    line.write(buf, from, got - from);
                }
            }
        }
        if (rowStarted) {
            if (keep) {
                finish(line, row, out);
            }
            row++;
        }
        return Math.max(0, row);
    }

    private static boolean keeps(long row, long[] wanted, int next, Collector out) {
        if (out == null) {
            return false;
        }
        return row < 0 || (next < wanted.length && wanted[next] == row);
    }

    private static void finish(java.io.ByteArrayOutputStream line, long row, Collector out) {
        byte[] bytes = line.toByteArray();
        int len = bytes.length;
        if (len > 0 && bytes[len - 1] == '\r') {
            len--;
        }
        String text = new String(Arrays.copyOf(bytes, len), StandardCharsets.UTF_8);
        if (row < 0) {
            out.header().append(text.startsWith("\uFEFF") ? text.substring(1) : text);
        } else {
            out.rows().add(text);
        }
        line.reset();
    }
}
