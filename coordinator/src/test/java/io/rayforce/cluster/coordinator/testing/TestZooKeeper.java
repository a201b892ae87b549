package io.rayforce.cluster.coordinator.testing;

import io.rayforce.cluster.coordinator.store.ClusterConnection;
import io.rayforce.cluster.coordinator.store.EmbeddedZooKeeper;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

/**
 * One real ZooKeeper server shared by the tests of this JVM (a 500 ms tick, so sessions may be
 * 1 to 10 s), and helpers: a fresh cluster name per test, connections, and a real server-side
 * session expiry.
 */
public final class TestZooKeeper {
    private static final AtomicInteger CLUSTERS = new AtomicInteger();
    private static EmbeddedZooKeeper server;

    private TestZooKeeper() {
    }

    public static synchronized EmbeddedZooKeeper server() {
        if (server == null) {
            server = EmbeddedZooKeeper.start(0, null, 500);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        }
        return server;
    }

    public static String connectString() {
        return server().connectString();
    }

    /** A cluster name no other test uses. */
    public static String freshCluster() {
        return "test" + CLUSTERS.incrementAndGet() + "-" + ProcessHandle.current().pid();
    }

    /** A connection with a 4 s session. */
    public static ClusterConnection connect(String cluster) {
        return ClusterConnection.connect(connectString(), cluster, Duration.ofSeconds(4));
    }

    /**
     * Expires the client's session the way a real network partition would: the server closes the
     * session (its ephemeral znodes vanish) and the client learns it on reconnect.
     */
    public static void expireSession(CuratorFramework curator, String connectString) throws Exception {
        ZooKeeper zk = curator.getZookeeperClient().getZooKeeper();
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper twin = new ZooKeeper(connectString, 4000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        }, zk.getSessionId(), zk.getSessionPasswd());
        try {
            if (!connected.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("could not attach to session 0x" + Long.toHexString(zk.getSessionId()));
            }
        } finally {
            twin.close();
        }
    }
}
