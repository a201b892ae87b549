package io.rayforce.cluster.router.exec;

import java.util.ArrayList;
import java.util.List;

/**
 * What a query did, unit by unit: which replica answered, how long it took, how many bytes,
 * which attempts failed and why. Thread-safe.
 */
public final class QueryTrace {
    /** One attempt to run a unit on a replica. */
    public record Attempt(UnitId unit, String node, long micros, String outcome) {
        @Override
        public String toString() {
            return unit + " on " + node + ": " + outcome + " in " + micros + " us";
        }
    }

    private final List<Attempt> attempts = new ArrayList<>();

    synchronized void record(Attempt a) {
        attempts.add(a);
    }

    public synchronized List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    @Override
    public synchronized String toString() {
        StringBuilder sb = new StringBuilder();
        for (Attempt a : attempts) {
            sb.append(a).append('\n');
        }
        return sb.toString();
    }
}
