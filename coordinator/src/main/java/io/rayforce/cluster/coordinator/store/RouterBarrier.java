package io.rayforce.cluster.coordinator.store;

import io.rayforce.cluster.coordinator.meta.ZkPaths;
import io.rayforce.cluster.coordinator.proto.RouterInfo;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;

/**
 * The leader's side of {@link RouterRegistry}: a cache of {@code /routers} that can wait until
 * every registered router has applied a placement epoch (or vanished with its session).
 */
public final class RouterBarrier implements AutoCloseable {
    private final CuratorCache cache;
    private final Object monitor = new Object();

    private RouterBarrier(CuratorFramework curator) {
        this.cache = CuratorCache.build(curator, ZkPaths.ROUTERS);
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forAll((type, oldData, data) -> signal())
                .forInitialized(this::signal)
                .build());
    }

    /** Starts watching {@code /routers}. */
    public static RouterBarrier start(CuratorFramework curator) {
        RouterBarrier b = new RouterBarrier(curator);
        b.cache.start();
        return b;
    }

    /**
     * As {@link #awaitRoutersAt}, failing with a {@link java.util.concurrent.TimeoutException} that
     * names the routers still behind when they have not all applied {@code epoch} in time.
     */
    public void awaitRoutersOrFail(long epoch, Duration timeout) throws InterruptedException, java.util.concurrent.TimeoutException {
        if (!awaitRoutersAt(epoch, timeout)) {
            throw new java.util.concurrent.TimeoutException("routers " + behind(epoch) + " have not applied epoch " + epoch
                    + " within " + timeout.toMillis() + " ms");
        }
    }

    /**
     * True when every registered router has applied at least {@code epoch} or vanished; false
     * when some router still had not after {@code timeout}.
     */
    public boolean awaitRoutersAt(long epoch, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (monitor) {
            while (!behind(epoch).isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                monitor.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
            return true;
        }
    }

    /** The registered routers and the epoch each has applied. */
    public Map<String, Long> routers() {
        Map<String, Long> out = new TreeMap<>();
        for (ChildData d : cache.stream().toList()) {
            if (d.getPath().startsWith(ZkPaths.ROUTERS + "/")) {
                RouterInfo info;
                try {
                    info = ProtoJson.read(d.getData(), RouterInfo.newBuilder(), d.getPath());
                } catch (CorruptMetadataException e) {
                    info = RouterInfo.getDefaultInstance();
                }
                out.put(d.getPath().substring(ZkPaths.ROUTERS.length() + 1), info.getAppliedEpoch());
            }
        }
        return out;
    }

    /** The routers that have not yet applied {@code epoch}. */
    public Map<String, Long> behind(long epoch) {
        Map<String, Long> out = routers();
        out.values().removeIf(e -> e >= epoch);
        return out;
    }

    private void signal() {
        synchronized (monitor) {
            monitor.notifyAll();
        }
    }

    @Override
    public void close() {
        cache.close();
        signal();
    }
}
