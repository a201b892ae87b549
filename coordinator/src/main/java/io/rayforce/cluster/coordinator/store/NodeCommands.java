package io.rayforce.cluster.coordinator.store;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.rayforce.cluster.coordinator.proto.CopyShardRequest;
import io.rayforce.cluster.coordinator.proto.CreateShardRequest;
import io.rayforce.cluster.coordinator.proto.DropShardRequest;
import io.rayforce.cluster.coordinator.proto.ListShardsRequest;
import io.rayforce.cluster.coordinator.proto.ListShardsResponse;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.coordinator.proto.NodeServiceGrpc;
import io.rayforce.cluster.coordinator.proto.ShardInfo;
import io.rayforce.cluster.coordinator.proto.SplitShardRequest;
import io.rayforce.cluster.coordinator.proto.SwapSplitRequest;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.coordinator.security.AgentHealth;
import io.rayforce.cluster.coordinator.security.ClusterSecurity;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The coordinator's client of the node agents' {@code NodeService}: one gRPC channel per node
 * address (TLS and the members' token when the cluster is secured, see {@link ClusterSecurity}),
 * every call with a deadline. Failures come back as
 * {@link NodeCommandException} naming the node, the command and the gRPC status.
 *
 * <p>Contract with the node agent: {@code CreateShard} is idempotent (an existing shard is kept);
 * {@code CopyShard} replaces whatever the target holds for the shard with the source's rows; the
 * leader holds the shard's lock ({@link ShardLocks}) around {@code CopyShard}, so the node agent
 * must not take it; {@code DropShard} of an absent shard answers {@code dropped=false}.
 */
public final class NodeCommands implements AutoCloseable {
    private final Duration deadline;
    private final Duration copyDeadline;
    private final ClusterSecurity security;
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

    /**
     * @param deadline for CreateShard, DropShard and ListShards
     * @param copyDeadline for CopyShard, which moves a whole shard
     */
    public NodeCommands(Duration deadline, Duration copyDeadline, ClusterSecurity security) {
        this.deadline = deadline;
        this.copyDeadline = copyDeadline;
        this.security = security;
    }

    /** Plaintext, without a token. */
    public NodeCommands(Duration deadline, Duration copyDeadline) {
        this(deadline, copyDeadline, ClusterSecurity.NONE);
    }

    /** 10 s for quick commands, 30 min for copies. */
    public NodeCommands() {
        this(Duration.ofSeconds(10), Duration.ofMinutes(30));
    }

    public ShardInfo createShard(NodeInfo node, TableSpec spec, int shard) {
        return call(node, "CreateShard " + spec.getName() + "/" + shard, deadline,
                stub -> stub.createShard(CreateShardRequest.newBuilder().setSpec(spec).setShard(shard).build()));
    }

    /** Fills {@code shard} on {@code target} from the replica on {@code source}. */
    public ShardInfo copyShard(NodeInfo target, TableSpec spec, int shard, NodeInfo source) {
        return call(target, "CopyShard " + spec.getName() + "/" + shard + " from " + source.getId(), copyDeadline,
                stub -> stub.copyShard(CopyShardRequest.newBuilder().setSpec(spec).setShard(shard)
                        .setSourceNodeId(source.getId()).setSourceHost(source.getHost()).setSourceIpcPort(source.getIpcPort())
                        .setSourceBootNonce(source.getBootNonce()).build()));
    }

    /** Fills the staging global of new shard {@code newShard} on {@code target} from the old shard's replica on {@code source}. */
    public ShardInfo splitShard(NodeInfo target, TableSpec spec, int newShardCount, int newShard, NodeInfo source) {
        return call(target, "SplitShard " + spec.getName() + "/" + newShard + " of " + newShardCount + " from " + source.getId(),
                copyDeadline, stub -> stub.splitShard(SplitShardRequest.newBuilder().setSpec(spec).setNewShardCount(newShardCount)
                        .setNewShard(newShard).setSourceNodeId(source.getId()).setSourceHost(source.getHost())
                        .setSourceIpcPort(source.getIpcPort()).setSourceBootNonce(source.getBootNonce()).build()));
    }

    /**
     * Swaps the reshard's staging global of {@code shard} in (or with {@code discard} deletes it);
     * answers the shard's rows, or -1 when there was no staging global.
     */
    public long swapSplit(NodeInfo node, String table, int shard, boolean discard) {
        return call(node, (discard ? "discard split " : "SwapSplit ") + table + "/" + shard, deadline,
                stub -> stub.swapSplit(SwapSplitRequest.newBuilder().setTable(table).setShard(shard).setDiscard(discard).build()))
                .getRows();
    }

    public boolean dropShard(NodeInfo node, String table, int shard) {
        return call(node, "DropShard " + table + "/" + shard, deadline,
                stub -> stub.dropShard(DropShardRequest.newBuilder().setTable(table).setShard(shard).build())).getDropped();
    }

    /**
     * Whether the node's agent answers the standard gRPC health check within {@code within}: a
     * node that died without its membership knowing yet (its ZooKeeper session has not expired)
     * does not, and a command to it would wait for its deadline. An agent without the health
     * service answers too (UNIMPLEMENTED is an answer).
     */
    public boolean answers(NodeInfo node, Duration within) {
        if (node.getControlPort() <= 0 || node.getHost().isEmpty()) {
            return false;
        }
        return AgentHealth.check(channel(node), within) == Status.Code.OK;
    }

    public ListShardsResponse listShards(NodeInfo node) {
        return call(node, "ListShards", deadline, stub -> stub.listShards(ListShardsRequest.getDefaultInstance()));
    }

    private <T> T call(NodeInfo node, String what, Duration limit, Function<NodeServiceGrpc.NodeServiceBlockingStub, T> op) {
        if (node.getControlPort() <= 0 || node.getHost().isEmpty()) {
            throw new NodeCommandException(node.getId(), what, Status.UNAVAILABLE.withDescription("node registered no control address"));
        }
        NodeServiceGrpc.NodeServiceBlockingStub stub = NodeServiceGrpc.newBlockingStub(channel(node))
                .withDeadlineAfter(limit.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return op.apply(stub);
        } catch (StatusRuntimeException e) {
            throw new NodeCommandException(node.getId(), what, e.getStatus());
        }
    }

    private ManagedChannel channel(NodeInfo node) {
        String address = node.getHost() + ":" + node.getControlPort();
        return channels.computeIfAbsent(address, a -> security.memberChannel(node.getHost(), node.getControlPort()));
    }

    @Override
    public void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
        channels.clear();
    }

    /** A node command failed: names the node, the command and the gRPC status. */
    public static final class NodeCommandException extends RuntimeException {
        private final String nodeId;
        private final transient Status status;

        public NodeCommandException(String nodeId, String command, Status status) {
            super("node " + nodeId + ": " + command + " failed: " + status.getCode()
                    + (status.getDescription() == null ? "" : " (" + status.getDescription() + ")"));
            this.nodeId = nodeId;
            this.status = status;
        }

        public String nodeId() {
            return nodeId;
        }

        public Status status() {
            return status;
        }
    }
}
