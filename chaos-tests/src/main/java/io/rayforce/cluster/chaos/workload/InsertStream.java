package io.rayforce.cluster.chaos.workload;

import io.rayforce.cluster.client.value.RayValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

/**
 * A high-rate insert stream (issue 17): many writers, each sending small batches (1 to 4 rows,
 * spread over the shards by their ids) back to back into a table of their own run, and readers
 * reading the whole table meanwhile. Every batch has its own ids ({@code writer * 10,000,000 +
 * batch * 8 + row}), so the batches are independent: a writer goes on after an in-doubt one. The
 * checker ({@code check.StreamChecker}) checks every read and the final table row by row.
 */
public final class InsertStream {
    /** Rows of the stream table: id, writer, batch. */
    public static final String COLUMNS = "(table [id writer batch] (list (as 'I64 []) (as 'I64 []) (as 'I64 [])))";

    /** One batch sent: its first id and row count, when it was sent and answered, and how. */
    public record Batch(int writer, int number, long firstId, int rows, long invokedAtNanos, long completedAtNanos,
                        Outcome outcome, String error) {
    }

    /** One ok read of the whole table. */
    public record Read(long invokedAtNanos, long completedAtNanos, RayValue value) {
    }

    private final String table;
    private final int writers;
    private final int readers;
    private final Supplier<GatewayClient> clients;
    private final List<Batch> batches = Collections.synchronizedList(new ArrayList<>());
    private final List<Read> reads = Collections.synchronizedList(new ArrayList<>());
    private final ClientThreads threads = new ClientThreads();
    private volatile boolean running;

    public InsertStream(String table, int writers, int readers, Supplier<GatewayClient> clients) {
        this.table = table;
        this.writers = writers;
        this.readers = readers;
        this.clients = clients;
    }

    /** The query that reads the whole stream table. */
    public static String readAll(String table) {
        return "(select {id: id writer: writer batch: batch from: " + table + "})";
    }

    public String table() {
        return table;
    }

    public synchronized void start() {
        running = true;
        for (int w = 1; w <= writers; w++) {
            int writer = w;
            threads.start("stream-writer-" + w, () -> writeLoop(writer));
        }
        for (int r = 1; r <= readers; r++) {
            threads.start("stream-reader-" + r, this::readLoop);
        }
    }

    public synchronized void stop() {
        running = false;
        threads.join();
    }

    public List<Batch> batches() {
        synchronized (batches) {
            return List.copyOf(batches);
        }
    }

    public List<Read> reads() {
        synchronized (reads) {
            return List.copyOf(reads);
        }
    }

    private void writeLoop(int writer) {
        try (GatewayClient client = clients.get()) {
            for (int n = 0; running; n++) {
                int rows = 1 + n % 4;
                long first = writer * 10_000_000L + n * 8L;
                StringBuilder ids = new StringBuilder("[");
                StringBuilder ws = new StringBuilder("[");
                StringBuilder bs = new StringBuilder("[");
                for (int i = 0; i < rows; i++) {
                    String sep = i == 0 ? "" : " ";
                    ids.append(sep).append(first + i);
                    ws.append(sep).append(writer);
                    bs.append(sep).append(n);
                }
                String q = "(insert '" + table + " (list " + ids + "] " + ws + "] " + bs + "]))";
                long t0 = System.nanoTime();
                Reply r = client.execute(q);
                long t1 = System.nanoTime();
                Outcome o = r.ok() ? Outcome.OK : r.sent() ? Outcome.INFO : Outcome.FAIL;
                batches.add(new Batch(writer, n, first, rows, t0, t1, o, r.error()));
            }
        }
    }

    private void readLoop() {
        try (GatewayClient client = clients.get()) {
            while (running) {
                long t0 = System.nanoTime();
                Reply r = client.execute(readAll(table));
                long t1 = System.nanoTime();
                if (r.ok()) {
                    reads.add(new Read(t0, t1, r.value()));
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
