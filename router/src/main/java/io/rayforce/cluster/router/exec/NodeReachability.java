package io.rayforce.cluster.router.exec;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.coordinator.security.AgentHealth;
import io.rayforce.cluster.coordinator.security.ClusterSecurity;
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
 * Whether a node is still there to answer, told apart from a node that is only slow:
 * <ol>
 * <li>its engine port completes a TCP handshake: the kernel answers it even while the engine is
 *     busy with a long query, so a failed handshake means the node is cut off, gone, or its
 *     engine is down;</li>
 * <li>its node agent (a separate process beside the engine, {@code NodeInfo.control_port})
 *     answers the standard gRPC health check within {@code 2 * interval}: an engine busy with a
 *     long query does not slow the agent, but a node whose processes are all frozen (a paused
 *     container or VM, SIGSTOP) answers the handshake from the kernel and nothing else. An agent
 *     whose port takes no connection from here (it is restarting, or a firewall lets only
 *     coordinators in) does not make the node unreachable: its engine port answered.</li>
 * </ol>
 * A node is probed at most once per {@code interval}, and never twice at once (concurrent askers
 * share the probe); probes run on daemon threads.
 */
public final class NodeReachability implements AutoCloseable {
    private record Probe(long startedNanos, CompletableFuture<Boolean> reachable) {
    }

    private static final ExecutorService PROBES = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "rayforce-router-node-probe");
        t.setDaemon(true);
        return t;
    });

    private final Duration interval;
    private final ClusterSecurity security;
    private final Map<String, Probe> last = new ConcurrentHashMap<>();
    private final Map<String, ManagedChannel> agents = new ConcurrentHashMap<>();

    /** Probes of the engine port only (nodes given without a control port are probed so anyway). */
    public NodeReachability(Duration interval) {
        this(interval, ClusterSecurity.NONE);
    }

    /**
     * @param interval how long a handshake may take, and how long a probe's answer is reused
     * @param security how to reach node agents (gRPC TLS, the members' token)
     */
    public NodeReachability(Duration interval, ClusterSecurity security) {
        this.interval = interval;
        this.security = security;
    }

    /** Completes with whether the node's engine port took a TCP connection and its agent answered. */
    public CompletableFuture<Boolean> reachable(NodeInfo node) {
        String key = node.getHost() + ":" + node.getIpcPort();
        long now = System.nanoTime();
        Probe p = last.compute(key, (k, old) -> old != null
                && (!old.reachable().isDone() || now - old.startedNanos() < interval.toNanos()) ? old
                : new Probe(now, CompletableFuture.supplyAsync(() -> connects(node) && agentAnswers(node), PROBES)));
        return p.reachable();
    }

    private boolean connects(NodeInfo node) {
        return connects(node.getHost(), node.getIpcPort());
    }

    private boolean connects(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), (int) interval.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * False only when the agent's port takes a TCP connection and its health check is not answered
     * in time: a frozen process. An agent port this router cannot reach (a firewall that lets only
     * coordinators in, an agent restarting) says nothing, and the engine port's answer stands.
     */
    private boolean agentAnswers(NodeInfo node) {
        if (node.getControlPort() <= 0 || !connects(node.getHost(), node.getControlPort())) {
            return true;
        }
        ManagedChannel channel = agents.computeIfAbsent(node.getHost() + ":" + node.getControlPort(),
                a -> security.memberChannel(node.getHost(), node.getControlPort()));
        return AgentHealth.check(channel, interval.multipliedBy(2)) != Status.Code.DEADLINE_EXCEEDED;
    }

    @Override
    public void close() {
        agents.values().forEach(ManagedChannel::shutdownNow);
        agents.clear();
    }
}
