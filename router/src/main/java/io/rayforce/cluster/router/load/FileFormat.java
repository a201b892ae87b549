package io.rayforce.cluster.router.load;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/** The file formats the loader reads. */
public enum FileFormat {
    CSV, PARQUET;

    /** {@code csv} or {@code parquet} (any case); fails naming the choices. */
    public static FileFormat of(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "csv", "tsv" -> CSV;
            case "parquet" -> PARQUET;
            default -> throw new IllegalArgumentException("unknown file format '" + name + "': use csv or parquet");
        };
    }

    /** The format a file name's extension says: {@code .parquet} or {@code .pq} is Parquet, anything else CSV. */
    public static FileFormat byName(String file) {
        String f = file.toLowerCase(Locale.ROOT);
        return f.endsWith(".parquet") || f.endsWith(".pq") ? PARQUET : CSV;
    }

    /** Opens {@code path} (named {@code file} in messages) to be read in chunks. */
    public ChunkSource open(Path path, String file, LoadOptions o) throws IOException {
        return this == CSV ? new CsvSource(path, file, o.header(), o.separator(), o.skipBad(), o.chunkRows())
                : new ParquetSource(path, file, o.chunkRows());
    }
}
