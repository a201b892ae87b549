package io.rayforce.cluster.coordinator.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;

/**
 * The real ZooKeeper server, run in this process: the default for a cluster on one machine, and
 * what the tests use. It is a standalone server (curator-test's {@link TestingServer} runs
 * ZooKeeper's own server classes) listening on one port, keeping its snapshots and transaction
 * log in a data directory, so a restart with the same directory keeps the cluster's metadata.
 */
public final class EmbeddedZooKeeper implements AutoCloseable {
    /**
     * The tick: sessions may last from 2 ticks, and expire on tick boundaries, so a 500 ms tick
     * lets routers have 2 s sessions that end within about 2.5 s of a crash (ZooKeeper's usual
     * 2000 ms tick would make that 4 to 6 s).
     */
    public static final int DEFAULT_TICK_MS = 500;
    /** The longest session a client may have (ZooKeeper's default, 20 ticks, would be 10 s here). */
    public static final int MAX_SESSION_MS = 60_000;

    private final TestingServer server;
    private final Path dataDir;

    private EmbeddedZooKeeper(TestingServer server, Path dataDir) {
        this.server = server;
        this.dataDir = dataDir;
    }

    /** Starts a server on a free port with a temporary data directory deleted on close. */
    public static EmbeddedZooKeeper start() {
        return start(0, null, DEFAULT_TICK_MS);
    }

    /**
     * Starts a server.
     *
     * @param port the client port, 0 for a free one
     * @param dataDir where snapshots and logs go (kept on close), or null for a temporary
     *     directory deleted on close
     * @param tickMs ZooKeeper's tick: sessions may last from 2 ticks to {@link #MAX_SESSION_MS}
     */
    public static EmbeddedZooKeeper start(int port, Path dataDir, int tickMs) {
        try {
            boolean temporary = dataDir == null;
            Path dir = temporary ? Files.createTempDirectory("rfc-zookeeper") : Files.createDirectories(dataDir);
            InstanceSpec spec = new InstanceSpec(dir.toFile(), port <= 0 ? -1 : port, -1, -1, temporary, -1,
                    tickMs, -1, Map.<String, Object>of("admin.enableServer", "false",
                    "maxSessionTimeout", String.valueOf(Math.max(MAX_SESSION_MS, 20 * tickMs))), "127.0.0.1");
            return new EmbeddedZooKeeper(new TestingServer(spec, true), dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the ZooKeeper data directory " + dataDir, e);
        } catch (Exception e) {
            throw new ZooKeeperUnavailableException("cannot start the embedded ZooKeeper on port " + port + ": " + e.getMessage(), e);
        }
    }

    /** The connect string clients use, e.g. {@code 127.0.0.1:2181}. */
    public String connectString() {
        return server.getConnectString();
    }

    public int port() {
        return server.getPort();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Stops the server, keeping its data, so {@link #restart()} can bring it back. */
    public void stop() {
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the server again on the same port with the same data. */
    public void restart() {
        try {
            server.restart();
        } catch (Exception e) {
            throw new ZooKeeperUnavailableException("cannot restart the embedded ZooKeeper: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "EmbeddedZooKeeper(" + connectString() + ", data " + dataDir + ")";
    }
}
