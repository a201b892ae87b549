package io.rayforce.cluster.router.load;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import io.rayforce.cluster.client.value.RayType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A CSV file without a double quote anywhere, parsed by several threads at once and handed out in
 * file order. Without quotes every line feed ends a row, so the file splits into blocks of
 * {@code blockRows} data rows at the row starts {@link CsvSample} noted while it sampled the
 * file; block {@code j} is parsed by parser {@code j mod n}, each parser at most
 * {@value #AHEAD} blocks ahead of the reader, and each block becomes one chunk. A block's rows
 * are numbered from the lines before it, so a bad row names the same line as when the file is
 * read by one thread, and the first bad row the reader meets is the file's first.
 */
final class CsvBlocks implements AutoCloseable {
    /** Blocks a parser may have ready before the reader takes them. */
    static final int AHEAD = 2;

    private final Path path;
    private final String file;
    private final boolean header;
    private final boolean skipBad;
    private final CsvReader.CsvReaderBuilder builder;
    private final List<String> names;
    /** Where each block starts, and (last) the file's size. */
    private final long[] bounds;
    /** The lines before each block. */
    private final long[] linesBefore;
    private final List<BlockingQueue<Object>> ready = new ArrayList<>();
    private final List<Thread> parsers = new ArrayList<>();
    private int next;
    private volatile long consumedTo;
    private volatile boolean stopped;

    /** The blocks of {@code blockRows} rows of a file whose sample is {@code sample}; null when there would be only one. */
    static CsvBlocks of(Path path, String file, CsvSample.Lines sample, boolean header, boolean skipBad,
            CsvReader.CsvReaderBuilder builder, List<String> names, int blockRows, long size) {
        int stride = CsvSample.STRIDE;
        long rows = Math.max(stride, (long) blockRows / stride * stride);
        long count = (sample.dataRows() + rows - 1) / rows;
        if (sample.quotes() || count < 2 || count > Integer.MAX_VALUE - 1) {
            return null;
        }
        long[] bounds = new long[(int) count + 1];
        long[] before = new long[(int) count];
        for (int j = 1; j < count; j++) {
            bounds[j] = sample.start(j * rows);
            before[j] = j * rows + (header ? 1 : 0);
        }
        bounds[(int) count] = size;
        return new CsvBlocks(path, file, header, skipBad, builder, names, bounds, before);
    }

    private CsvBlocks(Path path, String file, boolean header, boolean skipBad, CsvReader.CsvReaderBuilder builder,
            List<String> names, long[] bounds, long[] linesBefore) {
        this.path = path;
        this.file = file;
        this.header = header;
        this.skipBad = skipBad;
        this.builder = builder;
        this.names = names;
        this.bounds = bounds;
        this.linesBefore = linesBefore;
    }

    int blocks() {
        return linesBefore.length;
    }

    /** Starts {@code threads} parsers (at most one per block) reading the columns as {@code types}. */
    void start(List<RayType> types, int threads) {
        int n = Math.max(1, Math.min(threads, blocks()));
        for (int p = 0; p < n; p++) {
            int first = p;
            BlockingQueue<Object> q = new ArrayBlockingQueue<>(AHEAD);
            ready.add(q);
            Thread t = new Thread(() -> parse(first, n, types, q), "rayforce-load-csv-" + p);
            t.setDaemon(true);
            parsers.add(t);
        }
        parsers.forEach(Thread::start);
    }

    /** Parser {@code first}: blocks {@code first}, {@code first + step}, ... into {@code q}, each a chunk or what failed it. */
    private void parse(int first, int step, List<RayType> types, BlockingQueue<Object> q) {
        ColumnParser[] columns = new ColumnParser[types.size()];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = ColumnParser.of(types.get(i), 1 << 12);
        }
        CsvSource.RowHandler handler = new CsvSource.RowHandler(columns);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            for (int j = first; j < blocks() && !stopped; j += step) {
                Object outcome;
                try {
                    outcome = block(ch, j, handler);
                } catch (IOException | RuntimeException e) {
                    outcome = e;
                }
                q.put(outcome);
                if (!(outcome instanceof Chunk)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            // closed
        } catch (IOException e) {
            q.offer(e);
        }
    }

    /** Block {@code j} as one chunk. */
    private Chunk block(FileChannel ch, int j, CsvSource.RowHandler handler) throws IOException {
        handler.lineBase = linesBefore[j];
        List<BadRow> skipped = new ArrayList<>();
        long firstLine = -1;
        long lastLine = -1;
        try (CsvReader<Boolean> reader = builder.build(handler, range(ch, bounds[j], bounds[j + 1]), StandardCharsets.UTF_8)) {
            Iterator<Boolean> records = reader.iterator();
            if (j == 0 && header && records.hasNext()) {
                handler.skipping = true;
                records.next();
                handler.skipping = false;
            }
            while (records.hasNext()) {
                records.next();
                if (firstLine < 0) {
                    firstLine = handler.line;
                }
                lastLine = handler.line;
                if (handler.bad != null) {
                    BadRow bad = new BadRow(file, handler.line, handler.bad);
                    if (!skipBad) {
                        throw new BadRowError(bad);
                    }
                    skipped.add(bad);
                }
            }
        } catch (CsvParseException e) {
            Throwable c = e.getCause();
            throw new IOException(file + ": " + e.getMessage() + (c == null ? "" : ": " + c.getMessage()), e);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return new Chunk(handler.build(names), firstLine, lastLine, List.copyOf(skipped));
    }

    /** The next block's chunk in file order (null after the last; a block of only empty lines gives an empty chunk). */
    Chunk next() throws IOException {
        if (next >= blocks()) {
            return null;
        }
        Object o;
        try {
            o = ready.get(next % ready.size()).take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading " + file, e);
        }
        if (o instanceof IOException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (o instanceof RuntimeException e) {
            throw e;
        }
        consumedTo = bounds[next + 1];
        next++;
        return (Chunk) o;
    }

    /** Bytes of the file handed out so far. */
    long consumed() {
        return consumedTo;
    }

    @Override
    public void close() {
        stopped = true;
        parsers.forEach(Thread::interrupt);
    }

    /** Bytes {@code from} to {@code to} of the file. */
    private static InputStream range(FileChannel ch, long from, long to) {
        return new InputStream() {
            private long pos = from;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                if (pos >= to) {
                    return -1;
                }
                int n = ch.read(ByteBuffer.wrap(b, off, (int) Math.min(len, to - pos)), pos);
                if (n <= 0) {
                    return -1;
                }
                pos += n;
                return n;
            }
        };
    }
}
