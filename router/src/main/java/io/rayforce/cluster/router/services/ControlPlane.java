package io.rayforce.cluster.router.services;

import io.rayforce.cluster.coordinator.proto.ClusterState;
import io.rayforce.cluster.coordinator.proto.ColumnSpec;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import java.util.List;

/**
 * What the write path asks of the coordinator's {@code ControlService}: create and drop tables,
 * describe the cluster, and report a replica that failed a write (the leader marks it STALE and
 * answers only when every router has moved past it). Failures are {@link ControlPlaneError}s
 * carrying the coordinator's own explanation.
 */
public interface ControlPlane extends AutoCloseable {

    /** Creates a table (placement chosen by the leader); answers its placement. */
    TablePlacement createTable(TableSpec spec);

    /**
     * Creates a table whose shard i goes, as far as it can, to the nodes holding LIVE replicas of
     * shard i of {@code colocateWith} (same shard count); answers its placement.
     */
    default TablePlacement createTable(TableSpec spec, String colocateWith) {
        return createTable(spec);
    }

    /** Drops a table; false when it did not exist and {@code ifExists} was set. */
    boolean dropTable(String name, boolean ifExists);

    ClusterState describeCluster();

    TablePlacement describeTable(String name);

    /**
     * Reports that {@code nodeId}'s replica of the shard failed a write made at {@code epoch}, which
     * the replicas on {@code appliedNodes} applied; returns the epoch at which it is no longer LIVE.
     * Refused (FAILED_PRECONDITION, nothing marked) when none of those is LIVE any more.
     */
    long reportReplicaFailure(String table, int shard, String nodeId, long epoch, String reason, List<String> appliedNodes);

    /**
     * Adds {@code columns} at the end of the spec of {@code table} (created at {@code createdEpoch}),
     * leaving those it has with the same type; answers the epoch of the change, which every router
     * has applied by then.
     */
    long addColumns(String table, long createdEpoch, List<ColumnSpec> columns);

    @Override
    void close();
}
