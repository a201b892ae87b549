package io.rayforce.cluster.coordinator.server;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.AddColumnsRequest;
import io.rayforce.cluster.coordinator.proto.AddColumnsResponse;
import io.rayforce.cluster.coordinator.proto.ClusterState;
import io.rayforce.cluster.coordinator.proto.ControlServiceGrpc;
import io.rayforce.cluster.coordinator.proto.CreateTableRequest;
import io.rayforce.cluster.coordinator.proto.DescribeClusterRequest;
import io.rayforce.cluster.coordinator.proto.DescribeTableRequest;
import io.rayforce.cluster.coordinator.proto.DrainNodeRequest;
import io.rayforce.cluster.coordinator.proto.DrainNodeResponse;
import io.rayforce.cluster.coordinator.proto.DropTableRequest;
import io.rayforce.cluster.coordinator.proto.DropTableResponse;
import io.rayforce.cluster.coordinator.proto.ProgressReport;
import io.rayforce.cluster.coordinator.proto.ProgressRequest;
import io.rayforce.cluster.coordinator.proto.RebalanceRequest;
import io.rayforce.cluster.coordinator.proto.RebalanceResponse;
import io.rayforce.cluster.coordinator.proto.ReportReplicaFailureRequest;
import io.rayforce.cluster.coordinator.proto.ReportReplicaFailureResponse;
import io.rayforce.cluster.coordinator.proto.ReshardRequest;
import io.rayforce.cluster.coordinator.proto.ReshardResponse;
import io.rayforce.cluster.coordinator.proto.SetReplicationRequest;
import io.rayforce.cluster.coordinator.proto.SetReplicationResponse;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.proto.WatchPlacementRequest;
import io.rayforce.cluster.coordinator.store.NoSuchTableException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * {@code ControlService} on every coordinator. Reads are answered from this coordinator's view
 * once it has caught up with the stored epoch; mutations run on the placement leader: here when
 * this coordinator leads, otherwise forwarded to the leader (and this coordinator's view then
 * waits for the resulting epoch, so a client reads its own writes here).
 */
final class ControlServiceImpl extends ControlServiceGrpc.ControlServiceImplBase {
    private static final Duration CATCH_UP = Duration.ofSeconds(10);
    private static final long DEFAULT_FORWARD_DEADLINE_MS = TimeUnit.MINUTES.toMillis(10);

    private final Coordinator coordinator;

    ControlServiceImpl(Coordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public void createTable(CreateTableRequest req, StreamObserver<TablePlacement> out) {
        mutate(out, leader -> leader.ddl().createTable(req.getSpec(), req.getIfNotExists(), req.getColocateWith()), stub -> stub.createTable(req),
                TablePlacement::getEpoch);
    }

    @Override
    public void dropTable(DropTableRequest req, StreamObserver<DropTableResponse> out) {
        mutate(out, leader -> leader.ddl().dropTable(req.getName(), req.getIfExists()), stub -> stub.dropTable(req), DropTableResponse::getEpoch);
    }

    @Override
    public void drainNode(DrainNodeRequest req, StreamObserver<DrainNodeResponse> out) {
        mutate(out, leader -> leader.moves().drain(req), stub -> stub.drainNode(req), DrainNodeResponse::getEpoch);
    }

    @Override
    public void rebalance(RebalanceRequest req, StreamObserver<RebalanceResponse> out) {
        mutate(out, leader -> leader.moves().rebalance(req), stub -> stub.rebalance(req), RebalanceResponse::getEpoch);
    }

    @Override
    public void reportReplicaFailure(ReportReplicaFailureRequest req, StreamObserver<ReportReplicaFailureResponse> out) {
        mutate(out, leader -> ReportReplicaFailureResponse.newBuilder().setEpoch(leader.failures().report(req)).build(),
                stub -> stub.reportReplicaFailure(req), ReportReplicaFailureResponse::getEpoch);
    }

    @Override
    public void getProgress(ProgressRequest req, StreamObserver<ProgressReport> out) {
        // kept in the leader's memory: answered there, so a follower forwards it like a mutation (it changes nothing)
        mutate(out, leader -> leader.progress().report(req.getOperationId()), stub -> stub.getProgress(req), r -> 0);
    }

    @Override
    public void setReplication(SetReplicationRequest req, StreamObserver<SetReplicationResponse> out) {
        mutate(out, leader -> leader.replication().set(req), stub -> stub.setReplication(req), SetReplicationResponse::getEpoch);
    }

    @Override
    public void addColumns(AddColumnsRequest req, StreamObserver<AddColumnsResponse> out) {
        mutate(out, leader -> leader.columns().add(req), stub -> stub.addColumns(req), AddColumnsResponse::getEpoch);
    }

    @Override
    public void reshard(ReshardRequest req, StreamObserver<ReshardResponse> out) {
        mutate(out, leader -> leader.resharder().reshard(req), stub -> stub.reshard(req), ReshardResponse::getEpoch);
    }

    @Override
    public void describeCluster(DescribeClusterRequest req, StreamObserver<ClusterState> out) {
        try {
            out.onNext(state(caughtUp()));
            out.onCompleted();
        } catch (Throwable e) {
            out.onError(StatusErrors.toStatus(e));
        }
    }

    @Override
    public void describeTable(DescribeTableRequest req, StreamObserver<TablePlacement> out) {
        try {
            out.onNext(caughtUp().table(req.getName()).orElseThrow(() -> new NoSuchTableException("no table " + req.getName())));
            out.onCompleted();
        } catch (Throwable e) {
            out.onError(StatusErrors.toStatus(e));
        }
    }

    @Override
    public void watchPlacement(WatchPlacementRequest req, StreamObserver<ClusterState> out) {
        new PlacementWatch(coordinator, req.getAfterEpoch(), (ServerCallStreamObserver<ClusterState>) out).start();
    }

    // -----------------------------------------------------------------------------------------

    @FunctionalInterface
    interface LeaderCall<T> {
        T call(PlacementLeader leader) throws Exception;
    }

    private <T> void mutate(StreamObserver<T> out, LeaderCall<T> local,
            Function<ControlServiceGrpc.ControlServiceBlockingStub, T> remote, ToLongFunction<T> epochOf) {
        try {
            PlacementLeader leader = coordinator.activeLeader();
            T result;
            if (leader != null) {
                result = local.call(leader);
                awaitView(epochOf.applyAsLong(result));
            } else {
                String by = Forwarding.FORWARDED_BY.get();
                String target = coordinator.leaderAddress().orElse(null);
                if (by != null || target == null || target.equals(coordinator.address())) {
                    throw Status.UNAVAILABLE.withDescription(target == null || target.equals(coordinator.address())
                            ? "no placement leader is elected right now; retry shortly"
                            : "coordinator " + coordinator.address() + " is not the placement leader (" + target + " is)")
                            .asRuntimeException();
                }
                Deadline deadline = Context.current().getDeadline();
                ControlServiceGrpc.ControlServiceBlockingStub stub = ControlServiceGrpc.newBlockingStub(coordinator.peer(target))
                        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(Forwarding.header(coordinator.address())))
                        .withDeadline(deadline != null ? deadline : Deadline.after(DEFAULT_FORWARD_DEADLINE_MS, TimeUnit.MILLISECONDS));
                result = remote.apply(stub);
                awaitView(epochOf.applyAsLong(result));
            }
            out.onNext(result);
            out.onCompleted();
        } catch (Throwable e) {
            out.onError(StatusErrors.toStatus(e));
        }
    }

    /** Lets this coordinator's view reach {@code epoch}, so the caller reads its own write here. */
    private void awaitView(long epoch) throws InterruptedException {
        try {
            coordinator.view().awaitEpoch(epoch, CATCH_UP);
        } catch (TimeoutException e) {
            // the answer stands; this coordinator's view is merely behind
        }
    }

    private ClusterSnapshot caughtUp() throws InterruptedException, TimeoutException {
        return coordinator.store().currentSnapshot();
    }

    private ClusterState state(ClusterSnapshot snap) {
        return snap.state().toBuilder()
                .setLeader(coordinator.leaderAddress().orElse(""))
                .clearCoordinators().addAllCoordinators(coordinator.coordinators())
                .build();
    }
}
