package io.rayforce.cluster.coordinator.server;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.metrics.ZooKeeperGauge;
import io.rayforce.cluster.coordinator.proto.ReplicaState;
import java.util.ArrayList;
import java.util.List;

/**
 * A coordinator's gauges (tagged {@code coordinator=<host:port>}): {@code rfc.placement.epoch},
 * {@code rfc.coordinator.leader} (1 while this coordinator leads), {@code rfc.nodes.live},
 * {@code rfc.replicas} per {@code state}, and {@code rfc.zookeeper.connected}. Read from the
 * coordinator's view when scraped. The leader's shard tasks count themselves ({@link TaskRunner}).
 */
final class CoordinatorMetrics implements AutoCloseable {
    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();

    CoordinatorMetrics(MeterRegistry registry, Coordinator c) {
        this.registry = registry;
        Tags tags = Tags.of("coordinator", c.address());
        meters.add(Gauge.builder("rfc.placement.epoch", c, x -> x.view().snapshot().epoch()).tags(tags)
                .description("the placement epoch this coordinator's view is at").register(registry));
        meters.add(Gauge.builder("rfc.coordinator.leader", c, x -> x.isLeader() ? 1 : 0).tags(tags)
                .description("1 while this coordinator is the placement leader").register(registry));
        meters.add(Gauge.builder("rfc.nodes.live", c, x -> x.view().snapshot().nodes().size()).tags(tags)
                .description("nodes in membership").register(registry));
        for (ReplicaState state : List.of(ReplicaState.COPYING, ReplicaState.LIVE, ReplicaState.DOWN, ReplicaState.STALE,
                ReplicaState.DROPPING)) {
            meters.add(Gauge.builder("rfc.replicas", c, x -> count(x.view().snapshot(), state)).tags(tags.and("state", state.name()))
                    .description("replicas in each state").register(registry));
        }
        meters.add(ZooKeeperGauge.register(registry, c.view(), "coordinator", c.address()));
    }

    private static long count(ClusterSnapshot snap, ReplicaState state) {
        return snap.tables().values().stream().flatMap(t -> t.getShardsList().stream())
                .flatMap(s -> s.getReplicasList().stream()).filter(r -> r.getState() == state).count();
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
    }
}
