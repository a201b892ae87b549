package io.rayforce.cluster.node;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.rayforce.cluster.coordinator.metrics.ZooKeeperGauge;
import io.rayforce.cluster.coordinator.store.ClusterView;
import io.rayforce.cluster.node.engine.EngineSupervisor;
import io.rayforce.cluster.node.journal.JournalTimings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A node agent's meters, tagged {@code node=<id>} (docs/operations.md): {@code rfc.engine.up},
 * {@code rfc.engine.restarts}, {@code rfc.journal.bytes} (the live journal),
 * {@code rfc.journal.replay.bytes} (what a restart would replay after the snapshot),
 * {@code rfc.journal.quarantined}, {@code rfc.journal.command{command}} (how long snapshots and
 * rolls took) and {@code rfc.journal.last.completed{command}} (when the last one finished, seconds
 * since the epoch), and {@code rfc.zookeeper.connected{role=node}}. The copies' progress is
 * counted by {@link io.rayforce.cluster.node.shard.ShardCopies}. Read when scraped.
 */
final class NodeMetrics implements AutoCloseable {
    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();

    NodeMetrics(MeterRegistry registry, String nodeId, EngineSupervisor engine) {
        this.registry = registry;
        Tags node = Tags.of("node", nodeId);
        meters.add(Gauge.builder("rfc.engine.up", engine, e -> e.status().up() ? 1 : 0).tags(node)
                .description("1 while the node's engine is up").register(registry));
        meters.add(FunctionCounter.builder("rfc.engine.restarts", engine, e -> e.status().restarts()).tags(node)
                .description("restarts of the node's engine after it died or hung").register(registry));
        meters.add(Gauge.builder("rfc.journal.bytes", engine, e -> e.journal().journalBytes()).tags(node).baseUnit("bytes")
                .description("the engine's live journal").register(registry));
        meters.add(Gauge.builder("rfc.journal.replay.bytes", engine, e -> e.compactor().uncoveredBytes()).tags(node)
                .baseUnit("bytes").description("journal a restart would replay after loading the snapshot").register(registry));
        meters.add(Gauge.builder("rfc.journal.quarantined", engine, EngineSupervisor::quarantinedEntries).tags(node)
                .description("journal entries moved to quarantine").register(registry));
        for (String command : List.of("snapshot", "roll")) {
            JournalTimings.Command c = engine.journalTimings().of(command);
            Tags tags = node.and("command", command);
            meters.add(FunctionTimer.builder("rfc.journal.command", c, JournalTimings.Command::count,
                    JournalTimings.Command::totalSeconds, TimeUnit.SECONDS).tags(tags)
                    .description("journal snapshots and rolls, and how long they took").register(registry));
            meters.add(Gauge.builder("rfc.journal.last.completed", c, x -> x.lastEndedMillis() / 1000.0).tags(tags)
                    .baseUnit("seconds").description("when the last one finished (seconds since the epoch; 0: never)")
                    .register(registry));
        }
    }

    /** Adds the gauge of the node's ZooKeeper connection. */
    void watch(ClusterView view, String nodeId) {
        meters.add(ZooKeeperGauge.register(registry, view, "node", nodeId));
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
    }
}
