package io.rayforce.cluster.node.testing;

import io.rayforce.cluster.node.NodeAgent;
import io.rayforce.cluster.node.NodeConfig;
import io.rayforce.cluster.node.engine.SupervisorSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A node agent as its own JVM, for tests that kill nodes for real: {@code NodeProcessMain
 * zk=HOST:PORT cluster=NAME id=ID data=DIR [ipc=PORT] [session=MS] [hung=MS]}. Prints
 * {@code READY <id> <ipcPort> <controlPort>} once registered and {@code DRAINED <id>} when
 * drained. It exits when its standard input closes (the test JVM died), on SIGTERM, or when
 * drained; each way stops the agent and its engine.
 */
public final class NodeProcessMain {
    private NodeProcessMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        SupervisorSettings supervisor = SupervisorSettings.DEFAULTS
                .withHealth(Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofMillis(Long.parseLong(a.getOrDefault("hung", "10000"))))
                .withBackoff(Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(30));
        NodeConfig config = NodeConfig.builder(a.get("zk"), a.get("cluster"), Path.of(a.get("data")))
                .nodeId(a.get("id")).host("127.0.0.1").controlBind("127.0.0.1")
                .ipcPort(Integer.parseInt(a.getOrDefault("ipc", "0")))
                .sessionTimeout(Duration.ofMillis(Long.parseLong(a.getOrDefault("session", "3000"))))
                .capacityBytes(1L << 30).supervisor(supervisor).lockTimeout(Duration.ofSeconds(20))
                .build();
        NodeAgent agent = NodeAgent.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(agent::close, "node-process-shutdown"));
        System.out.println("READY " + agent.nodeId() + " " + agent.ipcPort() + " " + agent.controlPort());
        System.out.flush();
        agent.whenDrained().thenRun(() -> new Thread(() -> {
            // not on the cluster view's thread, which the shutdown hook's close() stops
            System.out.println("DRAINED " + agent.nodeId());
            System.out.flush();
            System.exit(0);
        }, "node-process-drained").start());
        while (System.in.read() >= 0) {
            // the parent keeps the pipe open while it lives
        }
        System.exit(0);
    }
}
