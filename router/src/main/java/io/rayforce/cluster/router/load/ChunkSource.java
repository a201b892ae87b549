package io.rayforce.cluster.router.load;

import io.rayforce.cluster.client.value.RayType;
import java.io.IOException;
import java.util.List;

/**
 * A file read in chunks of rows: first its columns (names and the types found in it), then,
 * once {@link #start} has set the types to read them as, the chunks in file order.
 */
public interface ChunkSource extends AutoCloseable {
    /** The file, as named to the loader. */
    String file();

    /** The columns' names as the file gives them. */
    List<String> columnNames();

    /** The types the file's columns hold: inferred from a sample (CSV) or the file's own (Parquet). */
    List<RayType> fileTypes();

    /**
     * Reads the columns as {@code types} from now on.
     *
     * @throws IllegalArgumentException when a column cannot be read as its type (Parquet: a
     *         conversion that could lose values)
     */
    void start(List<RayType> types);

    /** The next chunk, or null after the last one. */
    Chunk next() throws IOException;

    /** The file's size in bytes. */
    long bytesTotal();

    /** About how many of its bytes were read so far. */
    long bytesRead();

    @Override
    void close() throws IOException;
}
