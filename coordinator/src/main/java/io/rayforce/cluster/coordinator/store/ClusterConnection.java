package io.rayforce.cluster.coordinator.store;

import io.rayforce.cluster.coordinator.meta.ZkPaths;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.BoundedExponentialBackoffRetry;

/**
 * A started Curator client for one cluster: connected to a ZooKeeper ensemble (a connect string
 * such as {@code zk1:2181,zk2:2181,zk3:2181}) and scoped to the cluster's namespace
 * {@code rayforce-cluster/<cluster>}, so every path the cluster uses ({@link ZkPaths}) is
 * relative to it. Closing it closes the session, which removes the ephemeral znodes it created.
 */
public final class ClusterConnection implements AutoCloseable {
    /** The session timeout used when none is given. */
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(15);

    private final CuratorFramework curator;
    private final String connectString;
    private final String cluster;

    private ClusterConnection(CuratorFramework curator, String connectString, String cluster) {
        this.curator = curator;
        this.connectString = connectString;
        this.cluster = cluster;
    }

    /** Connects with {@link #DEFAULT_SESSION_TIMEOUT}. */
    public static ClusterConnection connect(String connectString, String cluster) {
        return connect(connectString, cluster, DEFAULT_SESSION_TIMEOUT);
    }

    /**
     * Starts a client and waits until it is connected (at most the session timeout, and never
     * less than 5 s). Fails with {@link ZooKeeperUnavailableException} naming the ensemble when
     * it cannot connect.
     */
    public static ClusterConnection connect(String connectString, String cluster, Duration sessionTimeout) {
        String namespace = ZkPaths.namespace(cluster);
        int sessionMs = (int) sessionTimeout.toMillis();
        int connectionMs = Math.max(1000, Math.min(sessionMs, 15_000));
        CuratorFramework curator = CuratorFrameworkFactory.builder()
                .connectString(connectString)
                .namespace(namespace)
                .sessionTimeoutMs(sessionMs)
                .connectionTimeoutMs(connectionMs)
                .retryPolicy(new BoundedExponentialBackoffRetry(100, 2000, 29))
                .build();
        curator.start();
        long waitMs = Math.max(5000, sessionMs);
        boolean connected;
        try {
            connected = curator.blockUntilConnected((int) waitMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            curator.close();
            throw new ZooKeeperUnavailableException("interrupted while connecting to ZooKeeper at " + connectString, e);
        }
        if (!connected) {
            curator.close();
            throw new ZooKeeperUnavailableException("cannot connect to ZooKeeper at " + connectString
                    + " within " + waitMs + " ms");
        }
        return new ClusterConnection(curator, connectString, cluster);
    }

    /** The started client, scoped to the cluster's namespace. */
    public CuratorFramework curator() {
        return curator;
    }

    public String connectString() {
        return connectString;
    }

    public String cluster() {
        return cluster;
    }

    @Override
    public void close() {
        curator.close();
    }

    @Override
    public String toString() {
        return "ClusterConnection(" + cluster + " at " + connectString + ")";
    }
}
