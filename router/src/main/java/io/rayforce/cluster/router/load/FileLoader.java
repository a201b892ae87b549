package io.rayforce.cluster.router.load;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * Loads files into one table as one write: the columns are decided from the first file
 * ({@link FileSchema}), the table is created when it does not exist and a layout is given, and
 * the files' chunks are appended in file order, then committed, so readers see every row of every
 * file at once or none. A reader thread parses the next chunks while the current one is written
 * (at most {@value #AHEAD} ahead). Any failure (a bad row without {@code skipBad}, an unreadable
 * file, a write the cluster did not acknowledge) aborts the load and drops a table it created.
 */
public final class FileLoader {
    /** Bad rows listed in a result (all are counted). */
    public static final int MAX_LISTED = 1000;
    /** Chunks parsed ahead of the one being written. */
    static final int AHEAD = 2;

    private FileLoader() {
    }

    /**
     * Loads {@code sources} (opened, not started) into {@code table}; closes them.
     *
     * @param progress told after each chunk is written
     */
    public static LoadResult load(List<ChunkSource> sources, String table, LoadOptions options, TableLayout layout,
            LoadTarget target, Consumer<LoadProgress> progress) throws IOException {
        long started = System.nanoTime();
        boolean created = false;
        LoadTarget.Load load = null;
        Reader reader = null;
        try {
            if (sources.isEmpty()) {
                throw new IllegalArgumentException("no file to load");
            }
            Optional<List<FileColumn>> existing = target.columns(table);
            FileSchema schema = FileSchema.resolve(sources.get(0), options.columns(), existing);
            for (ChunkSource s : sources) {
                schema.checkSameColumns(s);
                s.start(schema.readTypes());
            }
            if (existing.isEmpty()) {
                if (!layout.creates()) {
                    throw new IllegalArgumentException("there is no table " + table + ": give a shard key (--shard-key, "
                            + "--shards, --replication) or --replicated to create it");
                }
                target.create(table, schema.emptyTable(), layout);
                created = true;
            }
            load = target.begin(table);
            reader = new Reader(sources);
            reader.start();
            long rows = 0;
            long skipped = 0;
            List<BadRow> listed = new ArrayList<>();
            for (Chunk c = reader.take(); c != null; c = reader.take()) {
                skipped += c.skipped().size();
                for (BadRow b : c.skipped()) {
                    if (listed.size() < MAX_LISTED) {
                        listed.add(b);
                    }
                }
                if (c.rows().rowCount() > 0) {
                    load.append(schema.toTable(c.rows()));
                    rows += c.rows().rowCount();
                }
                progress.accept(new LoadProgress(rows, bytesRead(sources), bytesTotal(sources), seconds(started), skipped));
            }
            long committed = load.commit();
            load = null;
            return new LoadResult(table, committed, created, bytesTotal(sources), seconds(started), skipped, List.copyOf(listed));
        } catch (IOException | RuntimeException e) {
            if (load != null) {
                try {
                    load.abort(String.valueOf(e.getMessage()));
                } catch (RuntimeException abortFailed) {
                    e.addSuppressed(abortFailed);
                }
            }
            if (created) {
                try {
                    target.drop(table);
                } catch (RuntimeException dropFailed) {
                    e.addSuppressed(dropFailed);
                }
            }
            throw e;
        } finally {
            if (reader != null) {
                reader.stop();
            }
            for (ChunkSource s : sources) {
                try {
                    s.close();
                } catch (IOException e) {
                    // closing after reading; nothing was lost
                }
            }
        }
    }

    private static long bytesRead(List<ChunkSource> sources) {
        return sources.stream().mapToLong(ChunkSource::bytesRead).sum();
    }

    private static long bytesTotal(List<ChunkSource> sources) {
        return sources.stream().mapToLong(ChunkSource::bytesTotal).sum();
    }

    private static double seconds(long started) {
        return (System.nanoTime() - started) / 1e9;
    }

    /** Reads the sources' chunks in order on its own thread, a few ahead of the writer. */
    private static final class Reader {
        private static final Object END = new Object();
        private final List<ChunkSource> sources;
        private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(AHEAD);
        private final Thread thread;
        private volatile boolean stopped;

        Reader(List<ChunkSource> sources) {
            this.sources = sources;
            this.thread = new Thread(this::run, "rayforce-load-reader");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        private void run() {
            Object last = END;
            try {
                for (ChunkSource s : sources) {
                    for (Chunk c = s.next(); c != null && !stopped; c = s.next()) {
                        queue.put(c);
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                last = e;
            }
            try {
                queue.put(last);
            } catch (InterruptedException e) {
                // stopped
            }
        }

        /** The next chunk, or null after the last; rethrows what the reader failed with. */
        Chunk take() throws IOException {
            Object o;
            try {
                o = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while reading the files", e);
            }
            if (o == END) {
                return null;
            }
            if (o instanceof IOException e) {
                throw new IOException(e.getMessage(), e);
            }
            if (o instanceof RuntimeException e) {
                throw e;
            }
            return (Chunk) o;
        }

        void stop() {
            stopped = true;
            thread.interrupt();
        }
    }
}
