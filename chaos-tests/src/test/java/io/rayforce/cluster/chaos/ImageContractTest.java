package io.rayforce.cluster.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.dockerjava.api.DockerClient;
import io.rayforce.cluster.chaos.cluster.DockerCluster;
import io.rayforce.cluster.chaos.docker.DockerAvailability;
import io.rayforce.cluster.chaos.docker.RootShell;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * What the image promises (docs/docker.md): roles run as the unprivileged user, the health check
 * passes once the role serves, SIGTERM stops a node cleanly (its engine with it), and node data
 * stays in the volume across a restart. One ZooKeeper and one node container.
 */
class ImageContractTest {
    private final String image = System.getProperty("chaos.image", "rayforce-cluster:latest");

    @Test
    void nodeRunsAsUnprivilegedUserIsHealthyStopsOnSigtermAndKeepsItsData() throws Exception {
        Optional<String> unavailable = DockerAvailability.unavailableReason(image);
        if (Boolean.getBoolean("chaos.requireDocker")) {
            assertThat(unavailable).as("CI must run the image tests for real").isEmpty();
        }
        assumeTrue(unavailable.isEmpty(), () -> "image tests skipped: " + unavailable.orElse(""));
        try (Network net = Network.builder().createNetworkCmdModifier(c -> c.withLabels(DockerCluster.labels("image-test"))).build();
             GenericContainer<?> zk = new GenericContainer<>(DockerImageName.parse(image)).withNetwork(net)
                     .withNetworkAliases("zk").withLabels(DockerCluster.labels("image-test")).withCommand("zookeeper")
                     .waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(2)));
             GenericContainer<?> node = new GenericContainer<>(DockerImageName.parse(image)).withNetwork(net)
                     .withNetworkAliases("n1").withLabels(DockerCluster.labels("image-test"))
                     .withCommand("node", "--zookeeper", "zk:2181", "--id", "n1", "--host", "n1", "--ipc-port", "5100",
                             "--control-port", "5200", "--data", "/var/lib/rfc/node", "--capacity", "1G")
                     .waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(2)))) {
            zk.start();
            node.start();
            DockerClient docker = DockerClientFactory.instance().client();
            String id = node.getContainerId();

            // every process of the role (JVM and engine) runs as uid 10001, not root
            String uids = RootShell.run(id, "ps -o uid= -C java,rayforce | sort -u | tr -d ' '").strip();
            assertThat(uids).isEqualTo("10001");
            assertThat(docker.inspectContainerCmd(id).exec().getState().getHealth().getStatus()).isEqualTo("healthy");
            String nodeId = RootShell.run(id, "cat /var/lib/rfc/node/node.id").strip();

            // SIGTERM: the container stops well within the grace period, not killed after it
            long t0 = System.nanoTime();
            docker.stopContainerCmd(id).withTimeout(30).exec();
            long stopMillis = (System.nanoTime() - t0) / 1_000_000;
            assertThat(stopMillis).as("docker stop took %d ms", stopMillis).isLessThan(15_000);
            assertThat(docker.inspectContainerCmd(id).exec().getState().getExitCodeLong())
                    .as("exit code after SIGTERM (137 would mean it had to be killed)").isIn(0L, 143L);

            // the data volume outlives the process: same node id and journal after a start
            docker.startContainerCmd(id).exec();
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!"healthy".equals(docker.inspectContainerCmd(id).exec().getState().getHealth().getStatus())) {
                assertThat(System.nanoTime()).as("node healthy again after a restart").isLessThan(deadline);
                Thread.sleep(250);
            }
            assertThat(RootShell.run(id, "cat /var/lib/rfc/node/node.id").strip()).isEqualTo(nodeId);
            assertThat(RootShell.run(id, "ls /var/lib/rfc/node")).contains("engine.log");
        }
    }
}
