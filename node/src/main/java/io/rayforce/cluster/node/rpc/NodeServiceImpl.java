package io.rayforce.cluster.node.rpc;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.rayforce.cluster.coordinator.proto.CopyShardRequest;
import io.rayforce.cluster.coordinator.proto.CreateShardRequest;
import io.rayforce.cluster.coordinator.proto.DropShardRequest;
import io.rayforce.cluster.coordinator.proto.DropShardResponse;
import io.rayforce.cluster.coordinator.proto.ListShardsRequest;
import io.rayforce.cluster.coordinator.proto.ListShardsResponse;
import io.rayforce.cluster.coordinator.proto.NodeServiceGrpc;
import io.rayforce.cluster.coordinator.proto.ShardInfo;
import io.rayforce.cluster.coordinator.proto.SplitShardRequest;
import io.rayforce.cluster.coordinator.proto.SwapSplitRequest;
import io.rayforce.cluster.node.engine.EngineStatus;
import io.rayforce.cluster.node.engine.EngineUnavailableException;
import io.rayforce.cluster.node.engine.LocalEngine;
import io.rayforce.cluster.node.shard.SchemaMismatchException;
import io.rayforce.cluster.node.shard.ShardCopier;
import io.rayforce.cluster.node.shard.ShardLocking;
import io.rayforce.cluster.node.shard.ShardStore;
import java.time.Duration;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent's gRPC {@code NodeService}: the commands the coordinator (and operators) send to
 * one node. Failures come back as statuses with a message: INVALID_ARGUMENT for a bad request,
 * UNAVAILABLE while the engine is down (or a copy source is unreachable), NOT_FOUND for a shard
 * that is not where it should be, ALREADY_EXISTS for a shard that exists with another schema,
 * FAILED_PRECONDITION while the node drains (no new shards) or when schemas differ, ABORTED when
 * a copy could not take the shard's lock or did not verify.
 *
 * <p>A copy must not race a write to the shard. The coordinator leader holds the shard's write
 * lock around the whole copy (and the placement changes on either side of it), so CopyShard
 * takes the lock itself only when asked ({@code lock_shard}), for callers that do not hold it.
 */
public final class NodeServiceImpl extends NodeServiceGrpc.NodeServiceImplBase {
    private static final Logger log = LoggerFactory.getLogger(NodeServiceImpl.class);

    private final Supplier<String> nodeId;
    private final LocalEngine engine;
    private final ShardStore store;
    private final ShardCopier copier;
    private final ShardLocking locks;
    private final BooleanSupplier draining;
    private final Duration lockTimeout;
    private final BiFunction<String, String, String> enginePasswords;

    /**
     * @param nodeId      this node's id (reported by ListShards)
     * @param draining    true while the node is draining: new shards are refused
     * @param lockTimeout how long CopyShard waits for the shard's write lock
     */
    public NodeServiceImpl(Supplier<String> nodeId, LocalEngine engine, ShardStore store, ShardCopier copier,
                           ShardLocking locks, BooleanSupplier draining, Duration lockTimeout) {
        this(nodeId, engine, store, copier, locks, draining, lockTimeout, (node, nonce) -> null);
    }

    /**
     * @param enginePasswords the password of another node's engine from its node id and boot nonce
     *                        (derived from the cluster secret), or null when engines have none
     */
    public NodeServiceImpl(Supplier<String> nodeId, LocalEngine engine, ShardStore store, ShardCopier copier,
                           ShardLocking locks, BooleanSupplier draining, Duration lockTimeout,
                           BiFunction<String, String, String> enginePasswords) {
        this.enginePasswords = enginePasswords;
        this.nodeId = nodeId;
        this.engine = engine;
        this.store = store;
        this.copier = copier;
        this.locks = locks;
        this.draining = draining;
        this.lockTimeout = lockTimeout;
    }

    @Override
    public void createShard(CreateShardRequest request, StreamObserver<ShardInfo> response) {
        reply(response, () -> {
            requireSpec(request.hasSpec(), request.getShard(), request.getSpec().getShardCount());
            refuseWhileDraining("create shard " + request.getShard() + " of " + request.getSpec().getName());
            try {
                return store.create(request.getSpec(), request.getShard());
            } catch (SchemaMismatchException e) {
                throw Status.ALREADY_EXISTS.withDescription(e.getMessage()).asRuntimeException();
            }
        });
    }

    @Override
    public void copyShard(CopyShardRequest request, StreamObserver<ShardInfo> response) {
        reply(response, () -> {
            requireSpec(request.hasSpec(), request.getShard(), request.getSpec().getShardCount());
            String table = request.getSpec().getName();
            refuseWhileDraining("copy shard " + request.getShard() + " of " + table);
            if (request.getSourceHost().isBlank() || request.getSourceIpcPort() < 1 || request.getSourceIpcPort() > 65535) {
                throw new IllegalArgumentException("copy needs the source node's host and IPC port, got '"
                        + request.getSourceHost() + "':" + request.getSourceIpcPort());
            }
            if (request.getSourceNodeId().equals(nodeId.get())) {
                throw new IllegalArgumentException("a node cannot copy shard " + request.getShard() + " of " + table + " from itself");
            }
            engine.client();
            String password = enginePasswords.apply(request.getSourceNodeId(), request.getSourceBootNonce());
            if (!request.getLockShard()) {
                // the caller (the coordinator leader) holds the shard's write lock for the whole copy
                return copier.copy(request.getSpec(), request.getShard(), request.getSourceHost(), request.getSourceIpcPort(),
                        password);
            }
            try (AutoCloseable lock = lockShard(table, request.getShard())) {
                return copier.copy(request.getSpec(), request.getShard(), request.getSourceHost(), request.getSourceIpcPort(),
                        password);
            }
        });
    }

    @Override
    public void splitShard(SplitShardRequest request, StreamObserver<ShardInfo> response) {
        reply(response, () -> {
            requireSpec(request.hasSpec(), request.getNewShard(), request.getNewShardCount());
            refuseWhileDraining("split into shard " + request.getNewShard() + " of " + request.getSpec().getName());
            if (request.getSourceHost().isBlank() || request.getSourceIpcPort() < 1 || request.getSourceIpcPort() > 65535) {
                throw new IllegalArgumentException("split needs the source node's host and IPC port, got '"
                        + request.getSourceHost() + "':" + request.getSourceIpcPort());
            }
            engine.client();
            String password = enginePasswords.apply(request.getSourceNodeId(), request.getSourceBootNonce());
            return copier.split(request.getSpec(), request.getNewShardCount(), request.getNewShard(), request.getSourceHost(),
                    request.getSourceIpcPort(), password);
        });
    }

    @Override
    public void swapSplit(SwapSplitRequest request, StreamObserver<ShardInfo> response) {
        reply(response, () -> {
            if (request.getTable().isEmpty() || request.getShard() < 0) {
                throw new IllegalArgumentException("swap needs a table name and a shard");
            }
            ShardInfo.Builder b = ShardInfo.newBuilder().setTable(request.getTable()).setShard(request.getShard());
            if (request.getDiscard()) {
                copier.discardSplit(request.getTable(), request.getShard());
                return b.setRows(-1).build();
            }
            return b.setRows(copier.swapSplit(request.getTable(), request.getShard())).build();
        });
    }

    private AutoCloseable lockShard(String table, int shard) {
        try {
            return locks.lock(table, shard, lockTimeout);
        } catch (RuntimeException e) {
            throw Status.ABORTED.withDescription("cannot take the write lock of shard " + shard + " of " + table + " within "
                    + lockTimeout.toMillis() + " ms: " + e.getMessage()).withCause(e).asRuntimeException();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw Status.ABORTED.withDescription("cannot take the write lock of shard " + shard + " of " + table + ": "
                    + e.getMessage()).withCause(e).asRuntimeException();
        }
    }

    @Override
    public void dropShard(DropShardRequest request, StreamObserver<DropShardResponse> response) {
        reply(response, () -> {
            if (request.getTable().isEmpty()) {
                throw new IllegalArgumentException("drop needs a table name");
            }
            return DropShardResponse.newBuilder().setDropped(store.drop(request.getTable(), request.getShard())).build();
        });
    }

    /** Reports the shards with their sizes; while the engine is down, engine_up is false and no shards are listed. */
    @Override
    public void listShards(ListShardsRequest request, StreamObserver<ListShardsResponse> response) {
        reply(response, () -> {
            EngineStatus status = engine.status();
            ListShardsResponse.Builder b = ListShardsResponse.newBuilder().setNodeId(nodeId.get())
                    .setEngineRestarts(status.restarts());
            if (!status.up()) {
                return b.setEngineUp(false).build();
            }
            try {
                return b.addAllShards(store.list()).setEngineBytes(store.engineBytes()).setEngineUp(true).build();
            } catch (EngineUnavailableException e) {
                return b.setEngineUp(false).build();
            }
        });
    }

    private void refuseWhileDraining(String what) {
        if (draining.getAsBoolean()) {
            throw Status.FAILED_PRECONDITION.withDescription("node " + nodeId.get() + " is draining: it takes no new shards (refused to "
                    + what + ")").asRuntimeException();
        }
    }

    private static void requireSpec(boolean hasSpec, int shard, int shardCount) {
        if (!hasSpec) {
            throw new IllegalArgumentException("the request has no table spec");
        }
        if (shard < 0 || (shardCount > 0 && shard >= shardCount)) {
            throw new IllegalArgumentException("shard " + shard + " is out of range for a table of " + shardCount + " shards");
        }
    }

    private interface Call<T> {
        T run() throws Exception;
    }

    private static <T> void reply(StreamObserver<T> response, Call<T> call) {
        T result;
        try {
            result = call.run();
        } catch (Throwable e) {
            if (!(e instanceof io.grpc.StatusRuntimeException) && !(e instanceof IllegalArgumentException)) {
                log.warn("node request failed: {}", e.toString());
            }
            response.onError(NodeErrors.toStatus(e));
            return;
        }
        response.onNext(result);
        response.onCompleted();
    }
}
