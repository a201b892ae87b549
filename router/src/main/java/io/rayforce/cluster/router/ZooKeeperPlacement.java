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
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The placement a router plans with, watched in ZooKeeper, and the router's registration there.
 * The router publishes the oldest epoch it still reads at: the current one, or older while
 * queries that started before the last change are running. The leader waits for every router to
 * pass an epoch that marked a replica STALE before a write is acknowledged, so no read can miss
 * an acknowledged write. While its ZooKeeper connection is suspended the router goes on reading
 * with the placement it has: its registration lives as long as its session, so the leader waits
 * for it, and a read's answer counts only if the session is proven alive when it is complete
 * (read leases, docs/router.md). After its session was lost and a new one began, the leader may
 * have stopped waiting for it, so the first query on the new session first brings the placement
 * up to the epoch stored in ZooKeeper. Its gauges: {@code rfc.router.epoch{router}} and
 * {@code rfc.zookeeper.connected{role=router}}.
 */
public final class ZooKeeperPlacement implements PlacementSource, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ZooKeeperPlacement.class);

    private final ClusterConnection connection;
    private final ClusterView view;
    private final RouterRegistry registry;
    private final TreeMap<Long, Integer> inFlight = new TreeMap<>();
    private long published;
    /** The session the placement was last brought up to the stored epoch in. */
    private volatile long caughtUpIn;
    private final List<Meter> meters;

    private ZooKeeperPlacement(ClusterConnection connection, String routerId) {
        this.connection = connection;
        this.caughtUpIn = currentSession(connection);
        this.view = ClusterView.start(connection.curator());
        this.published = view.snapshot().epoch();
        this.registry = RouterRegistry.register(connection.curator(), routerId, published);
        connection.liveness(); // heartbeats from the start: reads and writes rely on the session's proof
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
        return view.snapshot();
    }

    @Override
    public ClusterSnapshot beginQuery() {
        long session = connection.liveness().sessionId();
        if (session != 0 && session != caughtUpIn) {
            catchUp(session);
        }
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

    /** In a new session: waits until the placement has reached the epoch stored in ZooKeeper. */
    private void catchUp(long session) {
        try {
            long epoch = view.catchUp(Duration.ofSeconds(10)).epoch();
            log.info("ZooKeeper session 0x{} began: placement caught up at epoch {}", Long.toHexString(session), epoch);
            caughtUpIn = session;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterQueryError("interrupted while the router caught up with the cluster's placement", e);
        } catch (TimeoutException | RuntimeException e) {
            throw new ClusterQueryError("the router began a new ZooKeeper session and could not catch up with the cluster's "
                    + "placement: " + e.getMessage(), e);
        }
    }

    private static long currentSession(ClusterConnection connection) {
        try {
            return connection.curator().getZookeeperClient().getZooKeeper().getSessionId();
        } catch (Exception e) {
            return 0;
        }
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
