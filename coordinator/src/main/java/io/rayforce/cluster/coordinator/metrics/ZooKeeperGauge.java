package io.rayforce.cluster.coordinator.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rayforce.cluster.coordinator.store.ClusterView;

/**
 * {@code rfc.zookeeper.connected{role, member}}: 1 while a member's ZooKeeper connection is up, 0
 * while it is suspended or lost (a router then refuses to read; a node's membership is at risk).
 */
public final class ZooKeeperGauge {
    private ZooKeeperGauge() {
    }

    /**
     * Registers the gauge of {@code view}'s connection in {@code registry}.
     *
     * @param role   {@code coordinator}, {@code node} or {@code router}
     * @param member the member's name: a coordinator's address, a node id, a router id
     * @return the gauge, to remove from the registry when the member stops
     */
    public static Meter register(MeterRegistry registry, ClusterView view, String role, String member) {
        return Gauge.builder("rfc.zookeeper.connected", view, v -> v.isConnected() ? 1 : 0)
                .tags("role", role, "member", member)
                .description("1 while this member's ZooKeeper connection is up")
                .register(registry);
    }
}
