package io.rayforce.cluster.router.services;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.rayforce.cluster.coordinator.proto.AddColumnsRequest;
import io.rayforce.cluster.coordinator.proto.ClusterState;
import io.rayforce.cluster.coordinator.proto.ColumnSpec;
import io.rayforce.cluster.coordinator.proto.ControlServiceGrpc;
import io.rayforce.cluster.coordinator.proto.CreateTableRequest;
import io.rayforce.cluster.coordinator.proto.DescribeClusterRequest;
import io.rayforce.cluster.coordinator.proto.DescribeTableRequest;
import io.rayforce.cluster.coordinator.proto.DropTableRequest;
import io.rayforce.cluster.coordinator.proto.ReportReplicaFailureRequest;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.coordinator.security.ClusterSecurity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@link ControlPlane} over the coordinators' gRPC {@code ControlService}. Any coordinator
 * answers (mutations are forwarded to the leader), so a call goes to the first address that is
 * reachable: on {@code UNAVAILABLE} the next address is tried. Every call has a deadline.
 */
public final class CoordinatorClient implements ControlPlane {
    private final Supplier<List<String>> addresses;
    private final Duration deadline;
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private final ClusterSecurity security;

    /**
     * @param addresses the coordinators' {@code host:port} gRPC addresses, asked anew for each call
     * @param deadline the limit for each call (table creation and failure reports wait on the leader)
     */
    public CoordinatorClient(Supplier<List<String>> addresses, Duration deadline) {
        this(addresses, deadline, ClusterSecurity.NONE);
    }

    /** @param security gRPC TLS and the members' token, when the cluster is secured */
    public CoordinatorClient(Supplier<List<String>> addresses, Duration deadline, ClusterSecurity security) {
        this.addresses = addresses;
        this.deadline = deadline;
        this.security = security;
    }

    @Override
    public TablePlacement createTable(TableSpec spec) {
        return call("create table " + spec.getName(), s -> s.createTable(CreateTableRequest.newBuilder().setSpec(spec).build()));
    }

    @Override
    public TablePlacement createTable(TableSpec spec, String colocateWith) {
        return call("create table " + spec.getName(), s -> s.createTable(CreateTableRequest.newBuilder().setSpec(spec)
                .setColocateWith(colocateWith).build()));
    }

    @Override
    public boolean dropTable(String name, boolean ifExists) {
        return call("drop table " + name,
                s -> s.dropTable(DropTableRequest.newBuilder().setName(name).setIfExists(ifExists).build())).getDropped();
    }

    @Override
    public ClusterState describeCluster() {
        return call("describe the cluster", s -> s.describeCluster(DescribeClusterRequest.getDefaultInstance()));
    }

    @Override
    public TablePlacement describeTable(String name) {
        return call("describe table " + name, s -> s.describeTable(DescribeTableRequest.newBuilder().setName(name).build()));
    }

    @Override
    public long reportReplicaFailure(String table, int shard, String nodeId, long epoch, String reason, List<String> appliedNodes) {
        return call("report the failed replica of shard " + shard + " of " + table + " on node " + nodeId,
                s -> s.reportReplicaFailure(ReportReplicaFailureRequest.newBuilder().setTable(table).setShard(shard)
                        .setNodeId(nodeId).setEpoch(epoch).setReason(reason).addAllAppliedNodes(appliedNodes).build())).getEpoch();
    }

    @Override
    public long addColumns(String table, long createdEpoch, List<ColumnSpec> columns) {
        return call("add columns to " + table, s -> s.addColumns(AddColumnsRequest.newBuilder().setTable(table)
                .setCreatedEpoch(createdEpoch).addAllColumns(columns).build())).getEpoch();
    }

    private <T> T call(String what, Function<ControlServiceGrpc.ControlServiceBlockingStub, T> op) {
        List<String> targets = addresses.get();
        if (targets.isEmpty()) {
            throw new ControlPlaneError("UNAVAILABLE", "cannot " + what + ": no coordinator is registered in ZooKeeper", null);
        }
        List<String> failures = new ArrayList<>();
        for (String address : targets) {
            ControlServiceGrpc.ControlServiceBlockingStub stub = ControlServiceGrpc.newBlockingStub(channel(address))
                    .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
            try {
                return op.apply(stub);
            } catch (StatusRuntimeException e) {
                Status st = e.getStatus();
                String why = st.getCode() + (st.getDescription() == null ? "" : ": " + st.getDescription());
                if (st.getCode() != Status.Code.UNAVAILABLE) {
                    throw new ControlPlaneError(st.getCode().name(), "cannot " + what + ": coordinator " + address
                            + " answered " + why, e);
                }
                failures.add(address + " " + why);
            } catch (IllegalArgumentException e) {
                failures.add(address + " is not a host:port address");
            }
        }
        throw new ControlPlaneError("UNAVAILABLE", "cannot " + what + ": no coordinator answered (" + String.join("; ", failures)
                + ")", null);
    }

    private ManagedChannel channel(String address) {
        return channels.computeIfAbsent(address, a -> {
            int colon = a.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(a);
            }
            return security.memberChannel(a.substring(0, colon), Integer.parseInt(a.substring(colon + 1)));
        });
    }

    @Override
    public void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
        channels.clear();
    }
}
