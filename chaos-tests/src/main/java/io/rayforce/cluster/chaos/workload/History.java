package io.rayforce.cluster.chaos.workload;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** The operations of one run, appended concurrently by the workload's clients. */
public final class History {
    private final List<Operation> ops = new ArrayList<>();
    private final AtomicLong nextId = new AtomicLong();

    /** A new operation id, taken when the operation is sent. */
    public long nextId() {
        return nextId.getAndIncrement();
    }

    public synchronized void add(Operation op) {
        ops.add(op);
    }

    /** Every operation, in invocation order. */
    public synchronized List<Operation> operations() {
        List<Operation> copy = new ArrayList<>(ops);
        copy.sort(Comparator.comparingLong(Operation::id));
        return copy;
    }

    /** How many operations ended in each outcome. */
    public synchronized Map<Outcome, Integer> counts() {
        Map<Outcome, Integer> m = new EnumMap<>(Outcome.class);
        for (Outcome o : Outcome.values()) {
            m.put(o, 0);
        }
        for (Operation op : ops) {
            m.merge(op.outcome(), 1, Integer::sum);
        }
        return m;
    }
}
