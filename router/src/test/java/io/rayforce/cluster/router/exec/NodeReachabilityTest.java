package io.rayforce.cluster.router.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.coordinator.proto.NodeInfo;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A node's port probed with a TCP handshake: a listening port is reachable, a closed one is not; probes are shared. */
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
