package io.rayforce.cluster.coordinator.server;

import static io.rayforce.cluster.coordinator.server.ControlServiceTest.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.rayforce.cluster.coordinator.proto.ControlServiceGrpc;
import io.rayforce.cluster.coordinator.proto.CreateTableRequest;
import io.rayforce.cluster.coordinator.proto.ReplicaState;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.testing.InMemoryNodeAgent;
import java.time.Duration;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.Test;

/** A coordinator on a three-server ZooKeeper ensemble keeps working when one server dies. */
class EnsembleTest {

    @Test
    void placementSurvivesTheLossOfOneZooKeeperServer() throws Exception {
        try (TestingCluster zk = new TestingCluster(3)) {
            zk.start();
            CoordinatorConfig config = CoordinatorConfig.defaults(zk.getConnectString()).withCluster("ensemble")
                    .withSessionTimeout(Duration.ofSeconds(6)).withRepairGrace(Duration.ofSeconds(60));
            try (Coordinator c = Coordinator.start(config);
                 InMemoryNodeAgent n1 = InMemoryNodeAgent.start("n1", "ensemble", zk.getConnectString());
                 InMemoryNodeAgent n2 = InMemoryNodeAgent.start("n2", "ensemble", zk.getConnectString())) {
                ManagedChannel ch = Grpc.newChannelBuilder(c.address(), InsecureChannelCredentials.create()).build();
                try {
                    var client = ControlServiceGrpc.newBlockingStub(ch);
                    await().atMost(Duration.ofSeconds(15)).until(() -> c.isLeader() && c.view().snapshot().nodes().size() == 2);
                    TablePlacement t = client.createTable(CreateTableRequest.newBuilder().setSpec(spec("t", 4, 2)).build());

                    InstanceSpec victim = zk.findConnectionInstance(c.connection().curator().getZookeeperClient().getZooKeeper());
                    assertThat(zk.killServer(victim)).isTrue();

                    // the client fails over to another server within its session: same leader, same data
                    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() ->
                            client.createTable(CreateTableRequest.newBuilder().setSpec(spec("u", 2, 2)).build()) != null);
                    assertThat(c.view().snapshot().table("t")).contains(t);
                    assertThat(c.view().snapshot().table("u").orElseThrow().getShardsList())
                            .allSatisfy(s -> assertThat(s.getReplicasList()).allMatch(r -> r.getState() == ReplicaState.LIVE));
                    assertThat(c.view().snapshot().nodes()).containsOnlyKeys("n1", "n2");
                } finally {
                    ch.shutdownNow();
                }
            }
        }
    }
}
