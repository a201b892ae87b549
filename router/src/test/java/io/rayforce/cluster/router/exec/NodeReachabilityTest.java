package io.rayforce.cluster.router.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.StreamObserver;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.coordinator.security.ClusterSecurity;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A node's engine port probed with a TCP handshake and its agent with a gRPC health check: a listening port with an
 * answering agent is reachable; a closed port, or an agent that takes the call and never answers (the node's processes
 * frozen), is not; an agent that refuses connections (restarting) leaves the engine port's answer standing. Probes are
 * shared.
 */
class NodeReachabilityTest {

    private static NodeInfo node(int port) {
        return NodeInfo.newBuilder().setId("n").setHost("127.0.0.1").setIpcPort(port).build();
    }

    @Test
    void aListeningPortIsReachableAndAClosedOneIsNot() throws Exception {
        NodeReachability r = new NodeReachability(Duration.ofMillis(500));
        int closed;
        try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            // nobody accepts: the kernel completes the handshake from the backlog, as for a busy engine
            assertThat(r.reachable(node(listening.getLocalPort())).get(5, TimeUnit.SECONDS)).isTrue();
            closed = listening.getLocalPort();
        }
        assertThat(new NodeReachability(Duration.ofMillis(500)).reachable(node(closed)).get(5, TimeUnit.SECONDS)).isFalse();
    }

    private static NodeInfo node(int port, int controlPort) {
        return node(port).toBuilder().setControlPort(controlPort).build();
    }

    /** An agent's gRPC server whose health check takes the call and never answers, as a frozen process's would not. */
    private static final class FrozenHealth extends HealthGrpc.HealthImplBase {
        final List<StreamObserver<HealthCheckResponse>> held = new CopyOnWriteArrayList<>();

        @Override
        public void check(HealthCheckRequest request, StreamObserver<HealthCheckResponse> answer) {
            held.add(answer);
        }
    }

    @Test
    void aNodeWhoseAgentAnswersIsReachableAndOneWhoseAgentIsFrozenIsNot() throws Exception {
        HealthStatusManager health = new HealthStatusManager();
        FrozenHealth frozen = new FrozenHealth();
        Server answering = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
                .addService(health.getHealthService()).build().start();
        Server silent = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create()).addService(frozen).build().start();
        try (ServerSocket engine = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             NodeReachability r = new NodeReachability(Duration.ofMillis(300), ClusterSecurity.NONE)) {
            assertThat(r.reachable(node(engine.getLocalPort(), answering.getPort())).get(5, TimeUnit.SECONDS)).isTrue();
            try (NodeReachability other = new NodeReachability(Duration.ofMillis(300), ClusterSecurity.NONE)) {
                assertThat(other.reachable(node(engine.getLocalPort(), silent.getPort())).get(5, TimeUnit.SECONDS))
                        .as("the engine port answers from the kernel; the agent does not").isFalse();
                assertThat(frozen.held).isNotEmpty();
            }
            int gone;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                gone = s.getLocalPort();
            }
            try (NodeReachability other = new NodeReachability(Duration.ofMillis(300), ClusterSecurity.NONE)) {
                assertThat(other.reachable(node(engine.getLocalPort(), gone)).get(5, TimeUnit.SECONDS))
                        .as("an agent that is restarting: the engine port's answer stands").isTrue();
            }
        } finally {
            answering.shutdownNow();
            silent.shutdownNow();
        }
    }

    /**
     * An agent port that takes no connection from this router (here: a listener whose backlog is
     * full, so the kernel drops the handshake, as a firewall letting only coordinators in would)
     * says nothing: the engine port's answer stands, and a busy node is not given up.
     */
    @Test
    void anAgentPortThatTakesNoConnectionLeavesTheEnginePortsAnswer() throws Exception {
        List<Socket> filling = new ArrayList<>();
        try (ServerSocket engine = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             ServerSocket agent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             NodeReachability r = new NodeReachability(Duration.ofMillis(300), ClusterSecurity.NONE)) {
            while (filling.size() < 64) { // fill the agent's backlog until the kernel drops handshakes
                Socket s = new Socket();
                try {
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), agent.getLocalPort()), 200);
                    filling.add(s);
                } catch (IOException e) {
                    s.close();
                    break;
                }
            }
            assertThat(filling.size()).as("the backlog filled").isLessThan(64);
            assertThat(r.reachable(node(engine.getLocalPort(), agent.getLocalPort())).get(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            for (Socket s : filling) {
                s.close();
            }
        }
    }

    @Test
    void askersWithinTheTimeoutShareOneProbe() throws Exception {
        NodeReachability r = new NodeReachability(Duration.ofSeconds(30));
        try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            NodeInfo n = node(listening.getLocalPort());
            assertThat(r.reachable(n)).isSameAs(r.reachable(n));
            assertThat(r.reachable(n).get(5, TimeUnit.SECONDS)).isTrue();
        }
    }
}
