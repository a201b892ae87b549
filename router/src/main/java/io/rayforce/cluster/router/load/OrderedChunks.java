package io.rayforce.cluster.router.load;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.IntFunction;

/**
 * A file read by several threads at once and handed on in file order. The file is cut into
 * {@code units} (blocks of a CSV file, row groups of a Parquet file), each read whole into one or
 * more chunks; unit {@code j} is read by reader {@code j mod n}, each reader at most
 * {@value #AHEAD} chunks ahead of the one taking them. What a unit failed with is met in its
 * place, after every chunk before it, so the first failure taken is the file's first.
 */
public final class OrderedChunks implements AutoCloseable {
    /** Chunks a reader may have ready before they are taken. */
    static final int AHEAD = 2;
    private static final Object UNIT_END = new Object();

    /** What reads units on one thread (its own file handle and parsers). */
    interface UnitReader extends AutoCloseable {
        /** Reads unit {@code unit} (units come in increasing order), giving each chunk of it to {@code out} in order. */
        void read(int unit, ChunkSink out) throws IOException, InterruptedException;

        @Override
        void close() throws IOException;
    }

    /** Where a reader puts its chunks. */
    interface ChunkSink {
        void put(Chunk c) throws InterruptedException;
    }

    /** Threads that read a file at once unless told: one per processor, at most 8. */
    public static int defaultThreads() {
        return Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors()));
    }

    private final int units;
    private final String file;
    private final List<BlockingQueue<Object>> ready = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopped;
    private int current;

    /**
     * Starts {@code threads} readers (at most one per unit), reader {@code p} made by {@code reader}.
     *
     * @param file the file's name, for errors
     */
    OrderedChunks(String file, int units, int threads, IntFunction<UnitReader> reader) {
        this.file = file;
        this.units = units;
        int n = Math.max(1, Math.min(threads, units));
        for (int p = 0; p < n; p++) {
            int first = p;
            BlockingQueue<Object> q = new ArrayBlockingQueue<>(AHEAD);
            ready.add(q);
            Thread t = new Thread(() -> run(first, n, reader, q), "rayforce-load-read-" + p);
            t.setDaemon(true);
            this.threads.add(t);
        }
        this.threads.forEach(Thread::start);
    }

    private void run(int first, int step, IntFunction<UnitReader> make, BlockingQueue<Object> q) {
        try {
            try (UnitReader r = make.apply(first)) {
                for (int j = first; j < units && !stopped; j += step) {
                    r.read(j, q::put);
                    q.put(UNIT_END);
                }
            } catch (IOException | RuntimeException e) {
                q.put(e);
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    /** The next chunk in file order, or null after the last unit. */
    Chunk next() throws IOException {
        while (current < units) {
            Object o;
            try {
                o = ready.get(current % ready.size()).take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while reading " + file, e);
            }
            if (o == UNIT_END) {
                current++;
                continue;
            }
            if (o instanceof IOException e) {
                current = units;
                throw new IOException(e.getMessage(), e);
            }
            if (o instanceof RuntimeException e) {
                current = units;
                throw e;
            }
            return (Chunk) o;
        }
        return null;
    }

    /** Units whose every chunk was taken. */
    int unitsDone() {
        return current;
    }

    @Override
    public void close() {
        stopped = true;
        threads.forEach(Thread::interrupt);
    }
}
