package io.rayforce.cluster.chaos;

import io.rayforce.cluster.chaos.workload.Workload;
import java.time.Duration;

/**
 * How long and how hard each fault run goes. {@code short} (the default, run by CI) runs every
 * fault once with short phases; {@code soak} ({@code -Dchaos.profile=soak}) runs each fault
 * several times with long phases and more clients, then combined faults; {@code medium}
 * ({@code -Dchaos.profile=medium}) runs each fault once on 5 nodes with a 1,000,000-row sharded table.
 *
 * @param warmup        the workload runs this long before the fault
 * @param faultWindow   the fault is held this long (longer than the nodes' ZooKeeper session)
 * @param steady        the workload runs this long after it recovered
 * @param recoveryLimit a run that has not recovered this long after healing fails
 * @param repetitions   how many times each fault runs
 * @param combined      whether combined faults run too
 * @param shape         the clients
 * @param tradesRows    rows of the static sharded table
 * @param streamWriters writers of the high-rate insert stream (small batches, back to back; issue 17)
 * @param nodes         node containers
 */
public record Profile(String name, Duration warmup, Duration faultWindow, Duration steady, Duration recoveryLimit,
                      int repetitions, boolean combined, Workload.Shape shape, int tradesRows, int streamWriters,
                      int nodes) {
    public static Profile named(String name) {
        return switch (name) {
            case "short", "" -> new Profile("short", Duration.ofSeconds(3), Duration.ofSeconds(12), Duration.ofSeconds(3),
                    Duration.ofSeconds(90), 1, false, new Workload.Shape(2, 1, 2, 1, Duration.ofMillis(30)), 2000, 8, 3);
            case "soak" -> new Profile("soak", Duration.ofSeconds(10), Duration.ofSeconds(45), Duration.ofSeconds(15),
                    Duration.ofSeconds(180), 2, true, new Workload.Shape(3, 1, 3, 1, Duration.ofMillis(10)), 20000, 16, 3);
            case "medium" -> new Profile("medium", Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofSeconds(5),
                    Duration.ofSeconds(240), 1, true, new Workload.Shape(2, 1, 3, 1, Duration.ofMillis(20)), 1_000_000, 8, 5);
            default -> throw new IllegalArgumentException("unknown chaos profile '" + name + "': use short, medium or soak");
        };
    }

    /** The profile chosen with {@code -Dchaos.profile}. */
    public static Profile current() {
        return named(System.getProperty("chaos.profile", "short").strip());
    }
}
