package io.rayforce.cluster.coordinator.store;

import io.rayforce.cluster.coordinator.meta.ZkPaths;
import io.rayforce.cluster.coordinator.proto.RouterInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.zookeeper.CreateMode;

/**
 * A router's registration: the EPHEMERAL znode {@code /routers/<id>} holding the placement epoch
 * the router currently plans and writes with. Re-created after a session loss. The leader waits
 * on these ({@link RouterBarrier}) before it answers a replica-failure report, so no router keeps
 * reading a replica that missed an acknowledged write.
 *
 * <p>A router publishes an epoch only after it has stopped using older snapshots for new work.
 */
public final class RouterRegistry implements AutoCloseable {
    private final PersistentNode znode;
    private final String routerId;
    private volatile long appliedEpoch;

    private RouterRegistry(PersistentNode znode, String routerId, long appliedEpoch) {
        this.znode = znode;
        this.routerId = routerId;
        this.appliedEpoch = appliedEpoch;
    }

    /** Registers a router at {@code appliedEpoch} and waits (at most {@code timeout}) for the znode. */
    public static RouterRegistry register(CuratorFramework curator, String routerId, long appliedEpoch, Duration timeout) {
        if (routerId.isEmpty() || routerId.contains("/")) {
            throw new IllegalArgumentException("invalid router id '" + routerId + "'");
        }
        PersistentNode znode = new PersistentNode(curator, CreateMode.EPHEMERAL, false, ZkPaths.router(routerId),
                ProtoJson.write(RouterInfo.newBuilder().setId(routerId).setAppliedEpoch(appliedEpoch).build()));
        znode.start();
        try {
            if (!znode.waitForInitialCreate(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                znode.close();
                throw new ZooKeeperUnavailableException("router " + routerId + " could not register within " + timeout.toMillis() + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZooKeeperUnavailableException("interrupted while registering router " + routerId, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new RouterRegistry(znode, routerId, appliedEpoch);
    }

    /** Registers with a 30 s timeout. */
    public static RouterRegistry register(CuratorFramework curator, String routerId, long appliedEpoch) {
        return register(curator, routerId, appliedEpoch, Duration.ofSeconds(30));
    }

    /** Publishes that this router now works at {@code epoch}; ignored when not newer. */
    public synchronized void publishAppliedEpoch(long epoch) {
        if (epoch <= appliedEpoch) {
            return;
        }
        try {
            znode.setData(ProtoJson.write(RouterInfo.newBuilder().setId(routerId).setAppliedEpoch(epoch).build()));
        } catch (Exception e) {
            throw new ZooKeeperUnavailableException("router " + routerId + " cannot publish epoch " + epoch + ": " + e.getMessage(), e);
        }
        appliedEpoch = epoch;
    }

    public long appliedEpoch() {
        return appliedEpoch;
    }

    public String routerId() {
        return routerId;
    }

    /** Deregisters at once. */
    @Override
    public void close() {
        try {
            znode.close();
        } catch (IOException | IllegalStateException e) {
            // the client was closed first: its session, and with it the znode, is gone already
        }
    }
}
