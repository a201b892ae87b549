package io.rayforce.cluster.router;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.metrics.ZooKeeperGauge;
import io.rayforce.cluster.coordinator.security.ClusterSecurity;
import io.rayforce.cluster.coordinator.store.ClusterConnection;
import io.rayforce.cluster.coordinator.store.ClusterView;
import io.rayforce.cluster.coordinator.store.RouterRegistry;
import io.rayforce.cluster.router.exec.ClusterQueryError;
import io.rayforce.cluster.router.exec.PlacementSource;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The placement a router plans with, watched in ZooKeeper, and the router's registration there.
 * The router publishes the oldest epoch it still reads at: the current one, or older while
 * queries that started before the last change are running. The leader waits for every router to
 * pass an epoch that marked a replica STALE before a write is acknowledged, so no read can miss
 * an acknowledged write. While its ZooKeeper connection is suspended the router refuses to read:
 * its placement might be stale and it could not be told. Its gauges: {@code rfc.router.epoch{router}}
 * and {@code rfc.zookeeper.connected{role=router}}.
 */
public final class ZooKeeperPlacement implements PlacementSource, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ZooKeeperPlacement.class);

    private final ClusterConnection connection;
    private final ClusterView view;
    private final RouterRegistry registry;
    private final TreeMap<Long, Integer> inFlight = new TreeMap<>();
    private long published;
    private final List<Meter> meters;

    private ZooKeeperPlacement(ClusterConnection connection, String routerId) {
        this.connection = connection;
        this.view = ClusterView.start(connection.curator());
        this.published = view.snapshot().epoch();
        this.registry = RouterRegistry.register(connection.curator(), routerId, published);
        view.addListener(s -> republish());
        meters = List.of(ZooKeeperGauge.register(Metrics.globalRegistry, view, "router", routerId),
                Gauge.builder("rfc.router.epoch", view, v -> v.snapshot().epoch()).tag("router", routerId)
                        .description("the placement epoch this router plans with").register(Metrics.globalRegistry));
    }

    /** Watches the cluster {@code cluster} at {@code zookeeper} and registers a router. */
    public static ZooKeeperPlacement connect(String zookeeper, String cluster, Duration sessionTimeout) {
        return connect(zookeeper, cluster, sessionTimeout, ClusterSecurity.NONE);
    }

    /** As above, authenticated in ZooKeeper when {@code security} has the cluster secret. */
    public static ZooKeeperPlacement connect(String zookeeper, String cluster, Duration sessionTimeout, ClusterSecurity security) {
        ClusterConnection c = ClusterConnection.connect(zookeeper, cluster, sessionTimeout, security);
        try {
            return new ZooKeeperPlacement(c, "router-" + UUID.randomUUID().toString().substring(0, 8));
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    public static ZooKeeperPlacement connect(String zookeeper, String cluster) {
        return connect(zookeeper, cluster, ClusterConnection.DEFAULT_SESSION_TIMEOUT);
    }

    @Override
    public ClusterSnapshot snapshot() {
        if (!view.isConnected()) {
            throw new ClusterQueryError("the router has lost its ZooKeeper connection; it refuses to read until it is back, "
                    + "since its placement may be stale");
        }
        return view.snapshot();
    }

    @Override
    public ClusterSnapshot beginQuery() {
        synchronized (inFlight) {
            ClusterSnapshot s = snapshot();
            inFlight.merge(s.epoch(), 1, Integer::sum);
            return s;
        }
    }

    @Override
    public void queryFinished(long epoch) {
        synchronized (inFlight) {
            inFlight.computeIfPresent(epoch, (e, n) -> n == 1 ? null : n - 1);
        }
        republish();
    }

    /** Publishes the oldest epoch still in use when it moved forward. */
    private void republish() {
        long oldest;
        synchronized (inFlight) {
            long current = view.snapshot().epoch();
            oldest = inFlight.isEmpty() ? current : Math.min(current, inFlight.firstKey());
            if (oldest <= published) {
                return;
            }
            published = oldest;
        }
        try {
            registry.publishAppliedEpoch(oldest);
        } catch (RuntimeException e) {
            log.warn("could not publish applied epoch {}: {}", oldest, e.getMessage());
        }
    }

    public ClusterView view() {
        return view;
    }

    public ClusterConnection connection() {
        return connection;
    }

    public String routerId() {
        return registry.routerId();
    }

    @Override
    public void close() {
        meters.forEach(Metrics.globalRegistry::remove);
        registry.close();
        view.close();
        connection.close();
    }
}
