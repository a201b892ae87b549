package io.rayforce.cluster.router.write;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.meta.ZkPaths;
import io.rayforce.cluster.coordinator.proto.ClusterState;
import io.rayforce.cluster.coordinator.proto.ControlServiceGrpc;
import io.rayforce.cluster.coordinator.proto.CreateTableRequest;
import io.rayforce.cluster.coordinator.proto.DescribeClusterRequest;
import io.rayforce.cluster.coordinator.proto.DescribeTableRequest;
import io.rayforce.cluster.coordinator.proto.DropTableRequest;
import io.rayforce.cluster.coordinator.proto.DropTableResponse;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.coordinator.proto.Replica;
import io.rayforce.cluster.coordinator.proto.ReplicaState;
import io.rayforce.cluster.coordinator.proto.ReportReplicaFailureRequest;
import io.rayforce.cluster.coordinator.proto.ReportReplicaFailureResponse;
import io.rayforce.cluster.coordinator.proto.ShardPlacement;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.coordinator.store.ClusterConnection;
import io.rayforce.cluster.coordinator.store.ClusterView;
import io.rayforce.cluster.coordinator.store.NodeCommands;
import io.rayforce.cluster.coordinator.store.PlacementCommit;
import io.rayforce.cluster.coordinator.store.PlacementStore;
import io.rayforce.cluster.coordinator.store.RouterBarrier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.recipes.leader.LeaderLatch;

/**
 * A stand-in for the coordinator's ControlService while the real one is not in the build: the
 * same gRPC service, backed by the same placement store, node commands and router barrier,
 * with only what the write path asks of it (create, drop, describe, report a failed replica).
 * It joins the coordinators' leader latch under its gRPC address, as the write path expects.
 */
final class StandInCoordinator implements AutoCloseable {
    private final ClusterConnection connection;
    private final ClusterView view;
    private final PlacementStore store;
    private final RouterBarrier barrier;
    private final NodeCommands nodes = new NodeCommands();
    private final LeaderLatch latch;
    private final Server server;

    StandInCoordinator(String zookeeper, String cluster) {
        connection = ClusterConnection.connect(zookeeper, cluster, Duration.ofSeconds(10));
        PlacementStore.ensureLayout(connection.curator());
        view = ClusterView.start(connection.curator());
        store = new PlacementStore(connection.curator(), view);
        barrier = RouterBarrier.start(connection.curator());
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(new Service()).build();
        try {
            server.start();
            latch = new LeaderLatch(connection.curator(), ZkPaths.LEADER, "127.0.0.1:" + server.getPort());
            latch.start();
            latch.await();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    ClusterView view() {
        return view;
    }

    PlacementStore store() {
        return store;
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            latch.close();
        } catch (IOException e) {
            // session closes below anyway
        }
        nodes.close();
        barrier.close();
        view.close();
        connection.close();
    }

    private final class Service extends ControlServiceGrpc.ControlServiceImplBase {
        @Override
        public void createTable(CreateTableRequest request, StreamObserver<TablePlacement> out) {
            answer(out, () -> {
                TableSpec spec = request.getSpec();
                ClusterSnapshot s = view.snapshot();
                List<NodeInfo> members = new ArrayList<>(s.nodes().values());
                members.sort(Comparator.comparing(NodeInfo::getId));
                int copies = spec.getReplicatedToAll() ? members.size() : spec.getReplicationFactor();
                if (copies > members.size() || copies < 1) {
                    throw Status.FAILED_PRECONDITION.withDescription("replication " + copies + " with " + members.size()
                            + " live nodes").asRuntimeException();
                }
                Map<String, Integer> load = new HashMap<>();
                TablePlacement.Builder tp = TablePlacement.newBuilder().setSpec(spec);
                for (int shard = 0; shard < spec.getShardCount(); shard++) {
                    ShardPlacement.Builder sp = ShardPlacement.newBuilder().setShard(shard);
                    List<NodeInfo> order = new ArrayList<>(members);
                    order.sort(Comparator.comparing((NodeInfo n) -> load.getOrDefault(n.getId(), 0)).thenComparing(NodeInfo::getId));
                    for (NodeInfo n : order.subList(0, copies)) {
                        nodes.createShard(n, spec, shard);
                        load.merge(n.getId(), 1, Integer::sum);
                        sp.addReplicas(Replica.newBuilder().setNodeId(n.getId()).setState(ReplicaState.LIVE));
                    }
                    tp.addShards(sp);
                }
                return store.createTable(tp.build());
            });
        }

        @Override
        public void dropTable(DropTableRequest request, StreamObserver<DropTableResponse> out) {
            answer(out, () -> {
                TablePlacement t = view.snapshot().table(request.getName()).orElse(null);
                if (t == null) {
                    if (request.getIfExists()) {
                        return DropTableResponse.newBuilder().setDropped(false).setEpoch(view.snapshot().epoch()).build();
                    }
                    throw Status.NOT_FOUND.withDescription("no table " + request.getName()).asRuntimeException();
                }
                long epoch = store.dropTable(request.getName());
                for (ShardPlacement sp : t.getShardsList()) {
                    for (Replica r : sp.getReplicasList()) {
                        NodeInfo n = view.snapshot().nodes().get(r.getNodeId());
                        if (n != null) {
                            nodes.dropShard(n, request.getName(), sp.getShard());
                        }
                    }
                }
                return DropTableResponse.newBuilder().setDropped(true).setEpoch(epoch).build();
            });
        }

        @Override
        public void describeCluster(DescribeClusterRequest request, StreamObserver<ClusterState> out) {
            answer(out, () -> view.snapshot().state().toBuilder().setLeader("127.0.0.1:" + server.getPort())
                    .addCoordinators("127.0.0.1:" + server.getPort()).build());
        }

        @Override
        public void describeTable(DescribeTableRequest request, StreamObserver<TablePlacement> out) {
            answer(out, () -> view.snapshot().table(request.getName()).orElseThrow(
                    () -> Status.NOT_FOUND.withDescription("no table " + request.getName()).asRuntimeException()));
        }

        @Override
        public void reportReplicaFailure(ReportReplicaFailureRequest request, StreamObserver<ReportReplicaFailureResponse> out) {
            answer(out, () -> {
                PlacementCommit c = store.setReplicaState(request.getTable(), request.getShard(), request.getNodeId(),
                        ReplicaState.STALE);
                if (!barrier.awaitRoutersAt(c.epoch(), Duration.ofSeconds(30))) {
                    throw Status.DEADLINE_EXCEEDED.withDescription("routers did not reach epoch " + c.epoch()).asRuntimeException();
                }
                return ReportReplicaFailureResponse.newBuilder().setEpoch(c.epoch()).build();
            });
        }

        private <T> void answer(StreamObserver<T> out, Callable<T> body) {
            try {
                out.onNext(body.call());
                out.onCompleted();
            } catch (io.grpc.StatusRuntimeException e) {
                out.onError(e);
            } catch (Exception e) {
                out.onError(Status.INTERNAL.withDescription(e.toString()).asRuntimeException());
            }
        }
    }

    @FunctionalInterface
    private interface Callable<T> {
        T call() throws Exception;
    }

}
