package io.rayforce.cluster.coordinator.server;

import io.rayforce.cluster.coordinator.proto.OperationProgress;
import io.rayforce.cluster.coordinator.proto.ProgressReport;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The placement leader's long operations and how far each has got, for {@code GetProgress}: a
 * drain or rebalance is one operation of its planned moves; repairs (re-fills, re-created and
 * replicated replicas) share one operation that lasts while any is running. The last
 * {@value #KEPT} operations stay listed after they finish.
 */
final class ProgressBoard {
    static final int KEPT = 20;

    private final Map<String, Operation> operations = new LinkedHashMap<>();
    private Operation repairs;

    /** A new operation named {@code id} (made up when empty) of {@code shards} shard tasks. */
    synchronized Operation start(String id, String kind, int shards) {
        String name = id == null || id.isEmpty() ? kind.replace(' ', '-') + "-" + UUID.randomUUID().toString().substring(0, 8) : id;
        Operation op = new Operation(name, kind, shards);
        operations.remove(name);
        operations.put(name, op);
        trim();
        return op;
    }

    /** The repair operation running now (a new one when the last has finished), with one more shard task. */
    synchronized Operation repair() {
        if (repairs == null || repairs.finished()) {
            repairs = start("", "repair", 0);
        }
        repairs.total.incrementAndGet();
        return repairs;
    }

    /** The operation named {@code id}, or every one listed when empty. */
    synchronized ProgressReport report(String id) {
        ProgressReport.Builder b = ProgressReport.newBuilder();
        for (Operation op : operations.values()) {
            if (id.isEmpty() || op.id.equals(id)) {
                b.addOperations(op.snapshot());
            }
        }
        return b.build();
    }

    private void trim() {
        List<String> done = new ArrayList<>();
        for (Operation op : operations.values()) {
            if (op.finished()) {
                done.add(op.id);
            }
        }
        Iterator<String> oldest = done.iterator();
        for (int extra = operations.size() - KEPT; extra > 0 && oldest.hasNext(); extra--) {
            operations.remove(oldest.next());
        }
    }

    /** One operation: its shard tasks, counted as they end. */
    static final class Operation {
        private final String id;
        private final String kind;
        private final AtomicInteger total;
        private final AtomicInteger done = new AtomicInteger();
        private final AtomicInteger failed = new AtomicInteger();
        private final AtomicLong bytes = new AtomicLong();
        private final long startedMillis = System.currentTimeMillis();
        private final long startedNanos = System.nanoTime();
        private volatile long endedNanos;
        private volatile String lastError = "";

        private Operation(String id, String kind, int total) {
            this.id = id;
            this.kind = kind;
            this.total = new AtomicInteger(total);
            if (total == 0 && !kind.equals("repair")) {
                endedNanos = System.nanoTime();
            }
        }

        String id() {
            return id;
        }

        /** A shard task finished, having copied {@code copiedBytes}. */
        void shardDone(long copiedBytes) {
            bytes.addAndGet(copiedBytes);
            done.incrementAndGet();
            endIfComplete();
        }

        /** A shard task failed. */
        void shardFailed(String why) {
            lastError = why == null ? "" : why;
            failed.incrementAndGet();
            endIfComplete();
        }

        private void endIfComplete() {
            if (done.get() + failed.get() >= total.get()) {
                endedNanos = System.nanoTime();
            }
        }

        boolean finished() {
            return endedNanos != 0 && done.get() + failed.get() >= total.get();
        }

        OperationProgress snapshot() {
            long end = finished() ? endedNanos : System.nanoTime();
            return OperationProgress.newBuilder().setId(id).setKind(kind).setShardsTotal(total.get()).setShardsDone(done.get())
                    .setShardsFailed(failed.get()).setBytesCopied(bytes.get()).setStartedMs(startedMillis)
                    .setElapsedMs((end - startedNanos) / 1_000_000).setFinished(finished()).setLastError(lastError).build();
        }
    }
}
