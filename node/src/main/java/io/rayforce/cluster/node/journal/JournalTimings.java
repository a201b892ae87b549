package io.rayforce.cluster.node.journal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How the engine's journal commands went, per command ({@code snapshot}, {@code roll}): how many
 * ran, how long they took in all and the last time, and when the last one finished. The node's
 * meters read it.
 */
public final class JournalTimings {
    /** One command's record. */
    public static final class Command {
        private long count;
        private long totalNanos;
        private long lastNanos;
        private long lastEndedMillis;

        public synchronized long count() {
            return count;
        }

        public synchronized double totalSeconds() {
            return totalNanos / 1e9;
        }

        public synchronized double lastSeconds() {
            return lastNanos / 1e9;
        }

        /** When the last one finished (ms since the epoch), 0 before the first. */
        public synchronized long lastEndedMillis() {
            return lastEndedMillis;
        }

        synchronized void record(long nanos) {
            count++;
            totalNanos += nanos;
            lastNanos = nanos;
            lastEndedMillis = System.currentTimeMillis();
        }
    }

    private final Map<String, Command> commands = new ConcurrentHashMap<>();

    /** The record of {@code command} (empty until it ran). */
    public Command of(String command) {
        return commands.computeIfAbsent(command, c -> new Command());
    }

    /** {@code command} ran for {@code nanos}. */
    public void record(String command, long nanos) {
        of(command).record(nanos);
    }
}
