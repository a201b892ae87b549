package io.rayforce.cluster.chaos.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One writer's sequential stream of writes to the ledger: inserts of new rows, upserts (of its
 * own rows or new ones) and updates of its own rows, so its writes touch only its own rows and
 * apply in the order it sends them. Row ids are {@code writer * 1,000,000 + k}. A writer whose
 * write ends as info (outcome unknown) retires, as a crashed Jepsen process: its in-doubt write is
 * its last, and the checker resolves it.
 */
public final class WriterStream {
    private final int writer;
    private final String ledger;
    private final Random random;
    private final List<Long> rows = new ArrayList<>();
    private final AtomicInteger invoked = new AtomicInteger();
    private final AtomicInteger completed = new AtomicInteger();
    private long nextRow;
    private volatile boolean retired;

    public WriterStream(int writer, String ledger, long seed) {
        this.writer = writer;
        this.ledger = ledger;
        this.random = new Random(seed);
        this.nextRow = writer * 1_000_000L;
    }

    /** The next write to send. */
    public record Write(OpKind kind, long rowId, String query) {
    }

    public int writer() {
        return writer;
    }

    /** How many writes were sent so far. */
    public int invoked() {
        return invoked.get();
    }

    /** How many writes have an outcome so far. */
    public int completed() {
        return completed.get();
    }

    public boolean retired() {
        return retired;
    }

    /** Picks the next write; its position is {@link #invoked()}. */
    public Write next() {
        int n = invoked.get();
        int dice = random.nextInt(4);
        long val = random.nextInt(1000);
        if (rows.isEmpty() || dice <= 1) {
            long id = nextRow++;
            return new Write(OpKind.INSERT, id, "(insert '" + ledger + " (list " + id + " " + writer + " " + n + " " + val + "))");
        }
        if (dice == 2) {
            long id = random.nextBoolean() ? rows.get(random.nextInt(rows.size())) : nextRow++;
            return new Write(OpKind.UPSERT, id, "(upsert '" + ledger + " 1 (list " + id + " " + writer + " " + n + " " + val + "))");
        }
        long id = rows.get(random.nextInt(rows.size()));
        return new Write(OpKind.UPDATE, id, "(update {val: (+ val 1) from: '" + ledger + " where: (== id " + id + ")})");
    }

    /** Marks {@code w} as sent. */
    public void sent() {
        invoked.incrementAndGet();
    }

    /** Records {@code w}'s outcome: rows it made exist for later writes; an info outcome retires the writer. */
    public void done(Write w, Outcome outcome) {
        if (outcome == Outcome.OK && (w.kind() == OpKind.INSERT || w.kind() == OpKind.UPSERT) && !rows.contains(w.rowId())) {
            rows.add(w.rowId());
        }
        if (outcome == Outcome.INFO) {
            retired = true;
        }
        completed.incrementAndGet();
    }
}
