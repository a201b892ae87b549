package io.rayforce.cluster.router.load;

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
import java.util.Iterator;
import java.util.List;

/**
 * A CSV file without a double quote anywhere, nor a carriage return without a line feed after
 * it, parsed by several threads at once ({@link OrderedChunks}). Then every line feed ends a row
 * and every line ends with one, so the file splits into blocks of {@code blockRows} data rows at
 * the row starts {@link CsvSample} noted while it sampled the file; each block becomes one chunk
 * (none when it holds only empty lines). A block's rows are numbered from the lines before it, so
 * a bad row names the same line as when the file is read by one thread.
 */
final class CsvBlocks implements AutoCloseable {
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
    private OrderedChunks chunks;

    /** The blocks of {@code blockRows} rows of a file whose sample is {@code sample}; null when there would be only one. */
    static CsvBlocks of(Path path, String file, CsvSample.Lines sample, boolean header, boolean skipBad,
            CsvReader.CsvReaderBuilder builder, List<String> names, int blockRows, long size) {
        int stride = CsvSample.STRIDE;
        long rows = Math.max(stride, (long) blockRows / stride * stride);
        long count = (sample.dataRows() + rows - 1) / rows;
        if (sample.quotes() || sample.bareCarriageReturns() || count < 2 || count > Integer.MAX_VALUE - 1) {
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

    /** Starts {@code threads} parsers reading the columns as {@code types}. */
    void start(List<RayType> types, int threads) {
        chunks = new OrderedChunks(file, blocks(), threads, p -> new BlockParser(types));
    }

    /** The next chunk in file order (null after the last block; a block of only empty lines gives none). */
    Chunk next() throws IOException {
        return chunks.next();
    }

    /** Bytes of the file handed out so far. */
    long consumed() {
        return chunks == null ? 0 : bounds[chunks.unitsDone()];
    }

    @Override
    public void close() {
        if (chunks != null) {
            chunks.close();
        }
    }

    /** One thread's parser: its own file handle and columns. */
    private final class BlockParser implements OrderedChunks.UnitReader {
        private final CsvSource.RowHandler handler;
        private final FileChannel ch;

        BlockParser(List<RayType> types) {
            ColumnParser[] columns = new ColumnParser[types.size()];
            for (int i = 0; i < columns.length; i++) {
                columns[i] = ColumnParser.of(types.get(i), 1 << 12);
            }
            handler = new CsvSource.RowHandler(columns);
            try {
                ch = FileChannel.open(path, StandardOpenOption.READ);
            } catch (IOException e) {
                throw new UncheckedIOException(file + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void read(int j, OrderedChunks.ChunkSink out) throws IOException, InterruptedException {
            handler.lineBase = linesBefore[j];
            try (CsvReader<Boolean> reader = builder.build(handler, range(ch, bounds[j], bounds[j + 1]), StandardCharsets.UTF_8)) {
                Iterator<Boolean> records = reader.iterator();
                if (j == 0 && header && records.hasNext()) {
                    handler.skipping = true;
                    records.next();
                    handler.skipping = false;
                }
                Chunk c = CsvSource.chunk(records, handler, Integer.MAX_VALUE, file, skipBad, names);
                if (c != null) { // a block of empty lines only has none
                    out.put(c);
                }
            }
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
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
