package io.rayforce.cluster.coordinator.store;

import io.rayforce.cluster.coordinator.meta.ZkPaths;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.zookeeper.CreateMode;

/**
 * A node's membership: the EPHEMERAL znode {@code /nodes/<id>} holding its {@link NodeInfo}. It
 * vanishes when the node's ZooKeeper session ends (the coordinator leader then marks the node's
 * replicas DOWN) and is created again automatically when a new session starts (Curator's
 * {@link PersistentNode} recipe), so a node survives a session expiry without help.
 */
public final class NodeRegistry implements AutoCloseable {
    private final PersistentNode znode;
    private volatile NodeInfo info;

    private NodeRegistry(PersistentNode znode, NodeInfo info) {
        this.znode = znode;
        this.info = info;
    }

    /**
     * Registers a node and waits (at most {@code timeout}) until its znode exists. Fails with
     * {@link ZooKeeperUnavailableException} when it does not appear in time (for example because
     * another live process registered the same id).
     */
    public static NodeRegistry register(CuratorFramework curator, NodeInfo info, Duration timeout) {
        if (info.getId().isEmpty() || info.getId().contains("/")) {
            throw new IllegalArgumentException("invalid node id '" + info.getId() + "'");
        }
        PersistentNode znode = new PersistentNode(curator, CreateMode.EPHEMERAL, false,
                ZkPaths.node(info.getId()), ProtoJson.write(info));
        znode.start();
        try {
            if (!znode.waitForInitialCreate(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                closeQuietly(znode);
                throw new ZooKeeperUnavailableException("node " + info.getId() + " could not register in ZooKeeper within "
                        + timeout.toMillis() + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(znode);
            throw new ZooKeeperUnavailableException("interrupted while registering node " + info.getId(), e);
        }
        return new NodeRegistry(znode, info);
    }

    /** Registers with a 30 s timeout. */
    public static NodeRegistry register(CuratorFramework curator, NodeInfo info) {
        return register(curator, info, Duration.ofSeconds(30));
    }

    /** Replaces the registered info (same id); survives session loss like the registration. */
    public void update(NodeInfo newInfo) {
        if (!newInfo.getId().equals(info.getId())) {
            throw new IllegalArgumentException("node id cannot change: " + info.getId() + " -> " + newInfo.getId());
        }
        try {
            znode.setData(ProtoJson.write(newInfo));
        } catch (Exception e) {
            throw new ZooKeeperUnavailableException("cannot update node " + newInfo.getId() + ": " + e.getMessage(), e);
        }
        info = newInfo;
    }

    /** What this node last registered. */
    public NodeInfo info() {
        return info;
    }

    public String nodeId() {
        return info.getId();
    }

    /** The znode path (relative to the cluster namespace). */
    public String path() {
        return ZkPaths.node(info.getId());
    }

    /** Deregisters: deletes the znode at once, so the node leaves membership now. */
    @Override
    public void close() {
        try {
            znode.close();
        } catch (IOException | IllegalStateException e) {
            // the client was closed first: its session, and with it the znode, is gone already
        }
    }

    private static void closeQuietly(PersistentNode znode) {
        try {
            znode.close();
        } catch (IOException | RuntimeException ignored) {
            // best effort
        }
    }
}
