package io.rayforce.cluster.chaos.workload;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Concurrent clients through the gateway, each recording every operation in the {@link History}:
 * Java readers (static selects, group-bys, joins, and ledger reads), a rayforce-py reader,
 * writers (insert, upsert, update) that each keep a sequential stream (a writer that retires after
 * an info outcome is replaced by a new one), and a hostile client sending {@link HostileQueries}.
 * Runs until {@link #stop()}.
 */
public final class Workload {
    /** How many clients of each kind, and the pause between one client's requests. */
    public record Shape(int javaReaders, int pythonReaders, int writers, int hostile, Duration pause) {
    }

    private final Shape shape;
    private final String ledger;
    private final Supplier<GatewayClient> javaClients;
    private final Supplier<GatewayClient> pythonClients;
    private final History history = new History();
    private final Map<Integer, WriterStream> writers = new ConcurrentHashMap<>();
    private final AtomicInteger nextWriter = new AtomicInteger(1);
    private final ClientThreads threads = new ClientThreads();
    private final long seed;
    private volatile boolean running;

    public Workload(Shape shape, String ledger, long seed, Supplier<GatewayClient> javaClients,
                    Supplier<GatewayClient> pythonClients) {
        this.shape = shape;
        this.ledger = ledger;
        this.seed = seed;
        this.javaClients = javaClients;
        this.pythonClients = pythonClients;
    }

    public History history() {
        return history;
    }

    /** Every writer stream that ran, retired ones included. */
    public Map<Integer, WriterStream> writers() {
        return Map.copyOf(writers);
    }

    public synchronized void start() {
        running = true;
        for (int i = 1; i <= shape.javaReaders(); i++) {
            spawn("java-reader-" + i, javaClients, true, seed * 31 + i);
        }
        for (int i = 1; i <= shape.pythonReaders(); i++) {
            spawn("python-reader-" + i, pythonClients, false, seed * 37 + i);
        }
        for (int i = 1; i <= shape.hostile(); i++) {
            String process = "hostile-" + i;
            threads.start(process, () -> hostileLoop(process));
        }
        for (int i = 1; i <= shape.writers(); i++) {
            threads.start("writer-slot-" + i, this::writeLoop);
        }
    }

    private void spawn(String process, Supplier<GatewayClient> clients, boolean ledgerReads, long s) {
        threads.start(process, () -> readLoop(process, clients, ledgerReads, new Random(s)));
    }

    /** Stops every client and waits for their last operations to be recorded. */
    public synchronized void stop() {
        running = false;
        threads.join();
    }

    private void readLoop(String process, Supplier<GatewayClient> clients, boolean ledgerReads, Random random) {
        try (GatewayClient client = clients.get()) {
            while (running) {
                List<WriterStream> ws = new ArrayList<>(writers.values());
                if (ledgerReads && !ws.isEmpty() && random.nextInt(3) == 0) {
                    WriterStream w = ws.get(random.nextInt(ws.size()));
                    String q = ReadQueries.ledgerRead(ledger, w.writer());
                    long id = history.nextId();
                    int completedBefore = w.completed();
                    long t0 = System.nanoTime();
                    Reply r = client.execute(q);
                    long t1 = System.nanoTime();
                    int invokedBefore = w.invoked();
                    history.add(new Operation(id, process, OpKind.LEDGER_READ, q, w.writer(), -1, -1, completedBefore,
                            invokedBefore, t0, t1, r.ok() ? Outcome.OK : Outcome.FAIL, r.value(), r.error()));
                } else {
                    ReadQueries.StaticRead read = ReadQueries.STATIC.get(random.nextInt(ReadQueries.STATIC.size()));
                    long id = history.nextId();
                    long t0 = System.nanoTime();
                    Reply r = client.execute(read.query());
                    long t1 = System.nanoTime();
                    history.add(new Operation(id, process, read.kind(), read.query(), -1, -1, -1, -1, -1, t0, t1,
                            r.ok() ? Outcome.OK : Outcome.FAIL, r.value(), r.error()));
                }
                pause();
            }
        }
    }

    /** Sends the hostile queries in turn; each is recorded, its answer judged by the checker. */
    private void hostileLoop(String process) {
        try (GatewayClient client = javaClients.get()) {
            for (int n = 0; running; n++) {
                String q = HostileQueries.ALL.get(n % HostileQueries.ALL.size());
                long id = history.nextId();
                long t0 = System.nanoTime();
                Reply r = client.execute(q);
                long t1 = System.nanoTime();
                history.add(new Operation(id, process, OpKind.HOSTILE, q, -1, -1, -1, -1, -1, t0, t1,
                        r.ok() ? Outcome.OK : Outcome.FAIL, r.value(), r.error()));
                pause();
            }
        }
    }

    private void writeLoop() {
        while (running) {
            int id = nextWriter.getAndIncrement();
            WriterStream stream = new WriterStream(id, ledger, seed * 41 + id);
            writers.put(id, stream);
            String process = "writer-" + id;
            try (GatewayClient client = javaClients.get()) {
                while (running && !stream.retired()) {
                    WriterStream.Write w = stream.next();
                    long opId = history.nextId();
                    int position = stream.invoked();
                    stream.sent();
                    long t0 = System.nanoTime();
                    Reply r = client.execute(w.query());
                    long t1 = System.nanoTime();
                    Outcome outcome = r.ok() ? Outcome.OK : r.sent() ? Outcome.INFO : Outcome.FAIL;
                    history.add(new Operation(opId, process, w.kind(), w.query(), id, position, w.rowId(), -1, -1, t0, t1,
                            outcome, r.value(), r.error()));
                    stream.done(w, outcome);
                    pause();
                }
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(shape.pause().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
