package io.rayforce.cluster.coordinator.testing;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.rayforce.cluster.coordinator.proto.ControlServiceGrpc;
import io.rayforce.cluster.coordinator.server.Coordinator;
import io.rayforce.cluster.coordinator.server.CoordinatorConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Coordinators and in-memory node agents of one test cluster on the shared test ZooKeeper. */
public final class TestCluster implements AutoCloseable {
    public final String name = TestZooKeeper.freshCluster();
    public final List<Coordinator> coordinators = new ArrayList<>();
    public final List<InMemoryNodeAgent> nodes = new ArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final Duration repairGrace;
    private boolean autoRebalance;

    public TestCluster(Duration repairGrace) {
        this.repairGrace = repairGrace;
    }

    /** Coordinators started from now on rebalance by themselves when a node starts taking shards (off by default in tests). */
    public TestCluster withAutoRebalance() {
        autoRebalance = true;
        return this;
    }

    public CoordinatorConfig config() {
        return CoordinatorConfig.defaults(TestZooKeeper.connectString()).withCluster(name).withHost("127.0.0.1")
                .withRepairGrace(repairGrace).withSessionTimeout(Duration.ofSeconds(4)).withRouterWait(Duration.ofSeconds(10))
                .withAutoRebalance(autoRebalance);
    }

    public Coordinator startCoordinator() {
        try {
            Coordinator c = Coordinator.start(config());
            coordinators.add(c);
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public InMemoryNodeAgent startNode(String id) {
        InMemoryNodeAgent n = InMemoryNodeAgent.start(id, name);
        nodes.add(n);
        return n;
    }

    public InMemoryNodeAgent node(String id) {
        return nodes.stream().filter(n -> n.id().equals(id)).reduce((a, b) -> b).orElseThrow();
    }

    public ControlServiceGrpc.ControlServiceBlockingStub client(Coordinator c) {
        return client(c.address());
    }

    public ControlServiceGrpc.ControlServiceBlockingStub client(String address) {
        ManagedChannel ch = Grpc.newChannelBuilder(address, InsecureChannelCredentials.create()).build();
        channels.add(ch);
        return ControlServiceGrpc.newBlockingStub(ch);
    }

    public Coordinator leader() {
        return coordinators.stream().filter(Coordinator::isLeader).findFirst().orElseThrow(() -> new AssertionError("no leader"));
    }

    @Override
    public void close() {
        channels.forEach(ManagedChannel::shutdownNow);
        for (Coordinator c : coordinators) {
            try {
                c.close();
            } catch (RuntimeException ignored) {
                // already closed
            }
        }
        for (InMemoryNodeAgent n : nodes) {
            try {
                n.close();
            } catch (RuntimeException ignored) {
                // already closed
            }
        }
    }
}
