package io.rayforce.cluster.router.load;

import java.util.List;

/**
 * How files are read: their format (null: by each file's extension), the columns' names and
 * types when given ({@code --columns}; empty: from the file), whether bad rows are skipped
 * (otherwise the first one refuses the load), whether a CSV file's first line names its
 * columns, its separator (0: a comma or tab, as the engine detects), and the rows per chunk.
 */
public record LoadOptions(FileFormat format, List<FileColumn> columns, boolean skipBad, boolean header, char separator,
        int chunkRows) {
    /** Rows per chunk unless told: about 10 MB of typical columns per request, far below any frame limit. */
    public static final int DEFAULT_CHUNK_ROWS = 250_000;
    public static final LoadOptions DEFAULT = new LoadOptions(null, List.of(), false, true, (char) 0, DEFAULT_CHUNK_ROWS);

    public LoadOptions {
        columns = List.copyOf(columns);
        if (chunkRows < 1 || chunkRows > 10_000_000) {
            throw new IllegalArgumentException("rows per chunk must be 1..10000000, got " + chunkRows);
        }
    }

    public LoadOptions withFormat(FileFormat f) {
        return new LoadOptions(f, columns, skipBad, header, separator, chunkRows);
    }

    public LoadOptions withColumns(List<FileColumn> c) {
        return new LoadOptions(format, c, skipBad, header, separator, chunkRows);
    }

    public LoadOptions withSkipBad(boolean on) {
        return new LoadOptions(format, columns, on, header, separator, chunkRows);
    }

    public LoadOptions withHeader(boolean on) {
        return new LoadOptions(format, columns, skipBad, on, separator, chunkRows);
    }

    public LoadOptions withSeparator(char c) {
        return new LoadOptions(format, columns, skipBad, header, c, chunkRows);
    }

    public LoadOptions withChunkRows(int n) {
        return new LoadOptions(format, columns, skipBad, header, separator, n);
    }

    /** The format of {@code file}: the one given, else by its extension. */
    public FileFormat formatOf(String file) {
        return format != null ? format : FileFormat.byName(file);
    }
}
