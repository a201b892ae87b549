package io.rayforce.cluster.router.globals;

import io.rayforce.cluster.client.ipc.ValueReader;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.coordinator.meta.ZkPaths;
import io.rayforce.cluster.coordinator.store.GlobalCache;
import io.rayforce.cluster.coordinator.store.GlobalStore;
import io.rayforce.cluster.coordinator.store.ZooKeeperUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.data.Stat;

/**
 * The cluster's globals in ZooKeeper ({@link GlobalStore}), read through this router's watched
 * copy ({@link GlobalCache}) with its freshness check: an acknowledged {@code set} on any router
 * is seen by the next read on every router, and globals survive the restart of any member. The
 * cache starts on first use, so a router whose clients never use a global never loads them.
 */
public final class ZooKeeperGlobals implements Globals {
    private final CuratorFramework curator;
    private final GlobalStore store;
    private final int maxValueBytes;
    private GlobalCache cache;
    private boolean closed;
    /** Decoded values by name, with the version they were decoded from. */
    private final Map<String, Decoded> decoded = new ConcurrentHashMap<>();

    private record Decoded(long modified, RayValue value) {
    }

    public ZooKeeperGlobals(CuratorFramework curator, int maxValueBytes) {
        this.curator = curator;
        this.store = new GlobalStore(curator);
        this.maxValueBytes = Math.min(maxValueBytes, GlobalStore.MAX_VALUE_BYTES);
    }

    private synchronized GlobalCache cache() {
        if (closed) {
            throw new IllegalStateException("the globals are closed");
        }
        if (cache == null) {
            cache = GlobalCache.start(store, Duration.ofSeconds(30));
        }
        return cache;
    }

    @Override
    public Map<String, RayValue> current(Collection<String> names) {
        Map<String, RayValue> out = new LinkedHashMap<>();
        if (names.isEmpty()) {
            return out;
        }
        for (GlobalStore.Stored s : cache().current(names).values()) {
            Decoded d = decoded.get(s.name());
            if (d == null || d.modified() != s.modified()) {
                d = new Decoded(s.modified(), ValueReader.read(s.value()));
                decoded.put(s.name(), d);
            }
            out.put(s.name(), d.value());
        }
        return out;
    }

    @Override
    public void put(String name, RayValue value) {
        store.put(name, Globals.encode(name, value, maxValueBytes));
    }

    @Override
    public boolean remove(String name) {
        decoded.remove(name);
        return store.delete(name);
    }

    @Override
    public List<String> names(Collection<String> tables) {
        record Named(String name, long created) {
        }
        List<Named> all = new ArrayList<>();
        for (GlobalStore.Listed g : cache().list()) {
            all.add(new Named(g.name(), g.created()));
        }
        for (String t : tables) {
            try {
                Stat s = curator.checkExists().forPath(ZkPaths.table(t));
                all.add(new Named(t, s == null ? Long.MAX_VALUE : s.getCzxid()));
            } catch (Exception e) {
                throw new ZooKeeperUnavailableException("cannot read table " + t + " in ZooKeeper: " + e.getMessage(), e);
            }
        }
        all.sort(Comparator.comparingLong(Named::created));
        return all.stream().map(Named::name).toList();
    }

    @Override
    public int maxValueBytes() {
        return maxValueBytes;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (cache != null) {
            cache.close();
        }
    }
}
