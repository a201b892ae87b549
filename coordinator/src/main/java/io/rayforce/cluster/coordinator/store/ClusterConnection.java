package io.rayforce.cluster.coordinator.store;

import io.rayforce.cluster.coordinator.meta.ZkPaths;
import io.rayforce.cluster.coordinator.security.ClusterSecurity;
import io.rayforce.cluster.coordinator.security.ZooKeeperAcls;
import io.rayforce.cluster.coordinator.security.ZooKeeperCredentials;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.BoundedExponentialBackoffRetry;
import org.apache.zookeeper.KeeperException;

/**
 * A started Curator client for one cluster: connected to a ZooKeeper ensemble (a connect string
 * such as {@code zk1:2181,zk2:2181,zk3:2181}) and scoped to the cluster's namespace
 * {@code rayforce-cluster/<cluster>}, so every path the cluster uses ({@link ZkPaths}) is
 * relative to it. Closing it closes the session, which removes the ephemeral znodes it created.
 *
 * <p>With a cluster secret ({@link ClusterSecurity#hasSecret()}) the session authenticates with
 * the members' digest identity and every znode it creates gets the members-only ACL
 * ({@link ZooKeeperAcls}); connecting then checks that the cluster's namespace, when it exists,
 * lets this member in, so a wrong secret fails at once with a clear message. A member without a
 * secret is told when the namespace is protected.
 */
public final class ClusterConnection implements AutoCloseable {
    /** The session timeout used when none is given. */
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(15);

    private final CuratorFramework curator;
    private final String connectString;
    private final String cluster;
    private final ClusterSecurity security;
    private SessionLiveness liveness;

    private ClusterConnection(CuratorFramework curator, String connectString, String cluster, ClusterSecurity security) {
        this.curator = curator;
        this.connectString = connectString;
        this.cluster = cluster;
        this.security = security;
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
        return connect(connectString, cluster, sessionTimeout, ClusterSecurity.NONE);
    }

    /**
     * As {@link #connect(String, String, Duration)}, authenticated and with members-only ACLs when
     * {@code security} has the cluster secret.
     *
     * @throws ZooKeeperUnavailableException when ZooKeeper cannot be reached, or the cluster's
     *         znodes do not let this member in (a wrong or missing secret)
     */
    public static ClusterConnection connect(String connectString, String cluster, Duration sessionTimeout,
                                            ClusterSecurity security) {
        String namespace = ZkPaths.namespace(cluster);
        int sessionMs = (int) sessionTimeout.toMillis();
        int connectionMs = Math.max(1000, Math.min(sessionMs, 15_000));
        CuratorFrameworkFactory.Builder builder = CuratorFrameworkFactory.builder()
                .connectString(connectString)
                .namespace(namespace)
                .sessionTimeoutMs(sessionMs)
                .connectionTimeoutMs(connectionMs)
                .retryPolicy(new BoundedExponentialBackoffRetry(100, 2000, 29));
        if (security.hasSecret()) {
            ZooKeeperCredentials credentials = security.secret().zooKeeperCredentials();
            builder.aclProvider(new ZooKeeperAcls(credentials)).authorization("digest", credentials.authBytes());
        }
        CuratorFramework curator = builder.build();
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
        try {
            checkAccess(curator, cluster, security);
        } catch (RuntimeException e) {
            curator.close();
            throw e;
        }
        return new ClusterConnection(curator, connectString, cluster, security);
    }

    /** Fails with a clear message when the cluster's namespace exists but does not let this member in. */
    private static void checkAccess(CuratorFramework curator, String cluster, ClusterSecurity security) {
        try {
            if (curator.checkExists().forPath("/") != null) {
                curator.getChildren().forPath("/");
            }
        } catch (KeeperException.NoAuthException e) {
            throw new ZooKeeperUnavailableException(security.hasSecret()
                    ? "cluster " + cluster + "'s metadata in ZooKeeper belongs to other credentials: this member's cluster "
                            + "secret (fingerprint " + security.secret().fingerprint() + ") is not the cluster's"
                    : "cluster " + cluster + "'s metadata in ZooKeeper is protected: start this member with the cluster's "
                            + "secret (--cluster-secret-file)");
        } catch (Exception e) {
            throw new ZooKeeperUnavailableException("cannot read cluster " + cluster + "'s metadata in ZooKeeper: " + e, e);
        }
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

    /** How this member protects its links (its ZooKeeper session among them). */
    public ClusterSecurity security() {
        return security;
    }

    /** How long this connection's session is certainly alive (heartbeats start on first use). */
    public synchronized SessionLiveness liveness() {
        if (liveness == null) {
            liveness = SessionLiveness.start(curator);
        }
        return liveness;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (liveness != null) {
                liveness.close();
            }
        }
        curator.close();
    }

    @Override
    public String toString() {
        return "ClusterConnection(" + cluster + " at " + connectString + (security.hasSecret() ? ", authenticated" : "") + ")";
    }
}
