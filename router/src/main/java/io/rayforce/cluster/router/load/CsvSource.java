package io.rayforce.cluster.router.load;

import de.siegmar.fastcsv.reader.AbstractBaseCsvCallbackHandler;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayType;
import io.rayforce.cluster.client.value.Vector;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A CSV file read with FastCSV: the first line names the columns (or, without a header, they are
 * {@code V1}, {@code V2}, ... as the engine names them), the separator is a comma or, when the
 * first line has more tabs than commas, a tab (the engine's rule), and types are inferred as the
 * engine infers them ({@link CsvTypes}) from up to 4096 rows spread over the file
 * ({@link CsvSample}). Fields are parsed straight from
 * FastCSV's character buffer into the columns ({@link ColumnParser}); a row whose field is not a
 * value of its column's type, or whose field count differs from the header's, is a bad row:
 * refused (a {@link BadRowError} naming the line) or, with {@code skipBad}, left out and listed
 * in its chunk. Empty lines are skipped. A file without a double quote, and without a carriage
 * return that no line feed follows, is parsed by several threads at once ({@link CsvBlocks}; chunks of {@code chunkRows} rounded down to a multiple of
 * {@value CsvSample#STRIDE}), in the same order and with the same line numbers.
 */
public final class CsvSource implements ChunkSource {
    private final Path path;
    private final String file;
    private final boolean skipBad;
    private final int chunkRows;
    private final boolean header;
    private final char separator;
    private final List<String> names;
    private final List<RayType> fileTypes;
    private final long size;
    private final int parsers;
    /** The sample pass's row starts, kept until start() when the file may be parsed in blocks. */
    private CsvSample.Lines sample;
    private CsvBlocks blocks;
    private List<RayType> blockTypes;
    private CountingStream counted;
    private CsvReader<Boolean> reader;
    private Iterator<Boolean> records;
    private RowHandler handler;

    /**
     * @param file      the name reported in bad rows and errors
     * @param header    whether the first line names the columns
     * @param separator the field separator, or 0 to detect a comma or tab as the engine does
     */
    public CsvSource(Path path, String file, boolean header, char separator, boolean skipBad, int chunkRows) throws IOException {
        this(path, file, header, separator, skipBad, chunkRows, OrderedChunks.defaultThreads());
    }

    /**
     * @param parsers threads that parse the file at once when it can be split (no double quote in
     *                it, more than one chunk of rows; {@link CsvBlocks}); 1 reads it on one thread
     */
    public CsvSource(Path path, String file, boolean header, char separator, boolean skipBad, int chunkRows, int parsers)
            throws IOException {
        if (parsers < 1) {
            throw new IllegalArgumentException("parsers must be at least 1, got " + parsers);
        }
        this.parsers = parsers;
        this.path = path;
        this.file = file;
        this.header = header;
        this.skipBad = skipBad;
        this.chunkRows = chunkRows;
        this.size = Files.size(path);
        this.separator = separator != 0 ? separator : detectSeparator(path);
        CsvSample.Lines sample = CsvSample.of(path, header);
        this.sample = parsers > 1 ? sample : null;
        List<List<String>> rows = new ArrayList<>();
        List<String> first = new ArrayList<>();
        try {
            CsvReader.CsvReaderBuilder b = builder(this.separator);
            if (header) {
                first.addAll(b.ofSingleCsvRecord(sample.header()).getFields());
            }
            for (String line : sample.rows()) {
                rows.add(line.isEmpty() ? List.of("") : b.ofSingleCsvRecord(line).getFields());
            }
        } catch (CsvParseException e) {
            throw new IOException(file + ": " + e.getMessage() + (e.getCause() == null ? "" : ": " + e.getCause().getMessage()), e);
        }
        if (!header) {
            int width = rows.isEmpty() ? 0 : rows.get(0).size();
            for (int i = 1; i <= width; i++) {
                first.add("V" + i);
            }
        }
        if (first.isEmpty() || (first.size() == 1 && first.get(0).isEmpty())) {
            throw new IOException(file + ": the file is empty (no header line)");
        }
        this.names = List.copyOf(first);
        List<RayType> types = new ArrayList<>();
        for (int c = 0; c < names.size(); c++) {
            List<String> fields = new ArrayList<>(rows.size());
            for (List<String> row : rows) {
                fields.add(c < row.size() ? row.get(c) : "");
            }
            types.add(CsvTypes.infer(fields));
        }
        this.fileTypes = List.copyOf(types);
    }

    private static CsvReader.CsvReaderBuilder builder(char separator) {
        return CsvReader.builder().fieldSeparator(separator).skipEmptyLines(true).allowExtraFields(true).allowMissingFields(true);
    }

    /** A tab when the first line holds more tabs than commas, else a comma (as the engine decides). */
    static char detectSeparator(Path path) throws IOException {
        int commas = 0;
        int tabs = 0;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path))) {
            for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
                if (c == ',') {
                    commas++;
                } else if (c == '\t') {
                    tabs++;
                }
            }
        }
        return tabs > commas ? '\t' : ',';
    }

    @Override
    public String file() {
        return file;
    }

    @Override
    public List<String> columnNames() {
        return names;
    }

    @Override
    public List<RayType> fileTypes() {
        return fileTypes;
    }

    @Override
    public void start(List<RayType> types) {
        if (types.size() != names.size()) {
            throw new IllegalArgumentException(file + ": " + types.size() + " column types for " + names.size() + " columns");
        }
        if (parsers > 1 && sample != null) {
            blocks = CsvBlocks.of(path, file, sample, header, skipBad, builder(separator), names, chunkRows, size);
            sample = null;
            if (blocks != null) {
                blockTypes = List.copyOf(types); // the parsers start with the first next(): a load starts every file's source first
                return;
            }
        }
        ColumnParser[] columns = new ColumnParser[types.size()];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = ColumnParser.of(types.get(i), Math.min(chunkRows, 1 << 16));
        }
        handler = new RowHandler(columns);
        try {
            counted = new CountingStream(Files.newInputStream(path));
            reader = builder(separator).build(handler, counted, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        records = reader.iterator();
        if (header && records.hasNext()) {
            handler.skipping = true;
            records.next();
            handler.skipping = false;
        }
    }

    @Override
    public Chunk next() throws IOException {
        if (blocks != null) {
            if (blockTypes != null) {
                blocks.start(blockTypes, parsers);
                blockTypes = null;
            }
            return blocks.next();
        }
        if (records == null) {
            throw new IllegalStateException("start() first");
        }
        return chunk(records, handler, chunkRows, file, skipBad, names);
    }

    /**
     * Reads records into the handler's columns until it holds {@code maxRows} rows or there are no
     * more: their chunk, or null when there was no record. A bad row is refused (a
     * {@link BadRowError} naming its line) or, with {@code skipBad}, listed in the chunk.
     */
    static Chunk chunk(Iterator<Boolean> records, RowHandler handler, int maxRows, String file, boolean skipBad, List<String> names)
            throws IOException {
        List<BadRow> skipped = new ArrayList<>();
        long firstLine = -1;
        long lastLine = -1;
        try {
            while (handler.rows < maxRows && records.hasNext()) {
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
        if (firstLine < 0) {
            return null;
        }
        return new Chunk(handler.build(names), firstLine, lastLine, List.copyOf(skipped));
    }

    @Override
    public long bytesTotal() {
        return size;
    }

    @Override
    public long bytesRead() {
        if (blocks != null) {
            return blocks.consumed();
        }
        return counted == null ? 0 : Math.min(size, counted.count);
    }

    @Override
    public void close() throws IOException {
        if (blocks != null) {
            blocks.close();
        }
        if (reader != null) {
            reader.close();
        }
    }

    /** Parses each record's fields into the columns as FastCSV finds them; keeps a record only when all of it parsed. */
    static final class RowHandler extends AbstractBaseCsvCallbackHandler<Boolean> {
        private final ColumnParser[] parsers;
        private int rows;
        private int fields;
        long line;
        String bad;
        boolean skipping;
        /** Lines of the file before the bytes being read (a {@link CsvBlocks} block's). */
        long lineBase;

        RowHandler(ColumnParser[] parsers) {
            this.parsers = parsers;
        }

        @Override
        protected void handleBegin(long startingLineNumber) {
            line = startingLineNumber + lineBase;
            fields = 0;
            bad = null;
        }

        @Override
        protected void handleField(int index, char[] buf, int off, int len, boolean quoted) {
            fields++;
            if (skipping || bad != null || index >= parsers.length) {
                return;
            }
            String why = parsers[index].add(buf, off, len);
            if (why != null) {
                String text = new String(buf, off, Math.min(len, 60)) + (len > 60 ? "..." : "");
                bad = "field " + (index + 1) + " '" + text + "' is " + why;
            }
        }

        @Override
        protected Boolean buildRecord() {
            if (skipping) {
                return Boolean.FALSE;
            }
            if (bad == null && fields != parsers.length) {
                bad = fields + " field" + (fields == 1 ? "" : "s") + " where the file has " + parsers.length + " columns";
            }
            if (bad != null) {
                for (ColumnParser p : parsers) {
                    p.truncate(rows);
                }
                return Boolean.FALSE;
            }
            rows++;
            return Boolean.TRUE;
        }

        RayTable build(List<String> names) {
            List<Vector> cols = new ArrayList<>(parsers.length);
            for (ColumnParser p : parsers) {
                cols.add(p.build());
            }
            rows = 0;
            return RayTable.of(names, cols);
        }
    }

    /** Counts the bytes read, for progress. */
    private static final class CountingStream extends FilterInputStream {
        private volatile long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
