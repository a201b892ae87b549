package io.rayforce.cluster.coordinator.store;

import io.rayforce.cluster.coordinator.meta.ZkPaths;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.zookeeper.data.Stat;

/**
 * A router's watched copy of the cluster's globals ({@link CuratorCache} over
 * {@code /globals}), with a freshness check that makes read-after-write hold across routers:
 * {@link #current} asks ZooKeeper (after a sync) which of the names a query needs are globals
 * and at which version, takes the value from the cache when the cache holds that version, and
 * reads it directly when the cache has not caught up yet. So a read through any router sees
 * every {@code set} and {@code del} acknowledged before it started, while values travel only
 * when they change.
 */
public final class GlobalCache implements AutoCloseable {
    private final GlobalStore store;
    private final CuratorCache cache;

    private GlobalCache(GlobalStore store) {
        this.store = store;
        this.cache = CuratorCache.build(store.curator(), ZkPaths.GLOBALS);
    }

    /** Starts watching and waits (at most {@code timeout}) for the first complete copy. */
    public static GlobalCache start(GlobalStore store, Duration timeout) {
        GlobalCache c = new GlobalCache(store);
        CountDownLatch loaded = new CountDownLatch(1);
        c.cache.listenable().addListener(CuratorCacheListener.builder().forInitialized(loaded::countDown).build());
        c.cache.start();
        try {
            if (!loaded.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                c.close();
                throw new ZooKeeperUnavailableException("the globals did not load from ZooKeeper within " + timeout.toMillis() + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            c.close();
            throw new ZooKeeperUnavailableException("interrupted while loading the globals", e);
        }
        return c;
    }

    /**
     * The globals among {@code names} as they are now: every write acknowledged before this call,
     * through any router, is seen. Names that are no global are left out.
     */
    public Map<String, GlobalStore.Stored> current(Collection<String> names) {
        Map<String, GlobalStore.Stored> out = new LinkedHashMap<>();
        if (names.isEmpty()) {
            return out;
        }
        Map<String, CompletableFuture<GlobalStore.Stored>> direct = new LinkedHashMap<>();
        for (Map.Entry<String, Stat> e : store.stats(names).entrySet()) {
            Stat now = e.getValue();
            if (now == null) {
                continue;
            }
            Optional<ChildData> cached = cache.get(ZkPaths.global(e.getKey()));
            if (cached.isPresent() && cached.get().getStat() != null && cached.get().getStat().getMzxid() == now.getMzxid()) {
                out.put(e.getKey(), GlobalStore.decode(e.getKey(), cached.get().getData(), cached.get().getStat()));
            } else {
                direct.put(e.getKey(), store.data(e.getKey())); // the cache has not caught up yet
            }
        }
        for (Map.Entry<String, CompletableFuture<GlobalStore.Stored>> e : direct.entrySet()) {
            GlobalStore.Stored s = store.await(e.getValue(), "read global " + e.getKey());
            if (s != null) {
                out.put(e.getKey(), s);
            }
        }
        return out;
    }

    /** Every global's name in definition order, as now. */
    public List<GlobalStore.Listed> list() {
        return store.list();
    }

    @Override
    public void close() {
        cache.close();
    }
}
