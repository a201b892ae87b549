package io.rayforce.cluster.node.testing;

import io.rayforce.cluster.coordinator.server.Coordinator;
import io.rayforce.cluster.coordinator.server.CoordinatorConfig;
import java.time.Duration;

/**
 * A coordinator as its own JVM, for tests that kill it outright: {@code CoordinatorProcessMain
 * ZK CLUSTER REPAIR_GRACE_MS SESSION_MS}. Prints {@code SERVING host:port}; exits when its
 * standard input closes (the test JVM died) or on SIGTERM.
 */
public final class CoordinatorProcessMain {
    private CoordinatorProcessMain() {
    }

    public static void main(String[] args) throws Exception {
        CoordinatorConfig config = CoordinatorConfig.defaults(args[0]).withCluster(args[1]).withHost("127.0.0.1")
                .withRepairGrace(Duration.ofMillis(Long.parseLong(args[2])))
                .withSessionTimeout(Duration.ofMillis(Long.parseLong(args[3])))
                .withRouterWait(Duration.ofSeconds(5)).withNodeDeadline(Duration.ofSeconds(20))
                .withCopyDeadline(Duration.ofSeconds(120));
        Coordinator c = Coordinator.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(c::close, "coordinator-process-shutdown"));
        System.out.println("SERVING " + c.address());
        System.out.flush();
        while (System.in.read() >= 0) {
            // the parent keeps the pipe open while it lives
        }
        System.exit(0);
    }
}
