package io.rayforce.cluster.router.exec;

import io.rayforce.cluster.coordinator.proto.NodeInfo;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Whether a node's engine port still completes a TCP handshake: the kernel answers it even while
 * the engine is busy with a long query (or frozen), so a failed handshake means the node is cut
 * off, gone, or its engine is down, not that it is slow. A node is probed at most once per
 * {@code timeout} (concurrent askers share the probe); probes run on daemon threads.
 */
public final class NodeReachability {
    private record Probe(long startedNanos, CompletableFuture<Boolean> reachable) {
    }

    private static final ExecutorService PROBES = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "rayforce-router-node-probe");
        t.setDaemon(true);
        return t;
    });

    private final Duration timeout;
    private final Map<String, Probe> last = new ConcurrentHashMap<>();

    /** @param timeout how long a handshake may take, and how long a probe's answer is reused */
    public NodeReachability(Duration timeout) {
        this.timeout = timeout;
    }

    /** Completes with whether the node's IPC port took a TCP connection within the timeout. */
    public CompletableFuture<Boolean> reachable(NodeInfo node) {
        String key = node.getHost() + ":" + node.getIpcPort();
        long now = System.nanoTime();
        Probe p = last.compute(key, (k, old) -> old != null && now - old.startedNanos() < timeout.toNanos() ? old
                : new Probe(now, CompletableFuture.supplyAsync(() -> connects(node), PROBES)));
        return p.reachable();
    }

    private boolean connects(NodeInfo node) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(node.getHost(), node.getIpcPort()), (int) timeout.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
