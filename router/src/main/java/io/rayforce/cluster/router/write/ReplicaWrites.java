package io.rayforce.cluster.router.write;

import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.ipc.EncodedRequest;
import io.rayforce.cluster.client.rayfall.DataPathGate;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.coordinator.meta.ClusterNaming;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.coordinator.proto.Replica;
import io.rayforce.cluster.coordinator.proto.ReplicaState;
import io.rayforce.cluster.coordinator.proto.ShardPlacement;
import io.rayforce.cluster.router.exec.NodeConnections;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Sends a write to every writable replica of a shard: the LIVE ones and the COPYING ones (a
 * copy that finished but is not yet marked LIVE must not miss it; one that has not started is
 * replaced by the copy anyway). Each replica gets the requests in order, as sync requests (the
 * engine journals only those), on one connection. A replica that fails, times out or answers
 * an error is recorded as failed with the reason; nothing is retried. Every request passes the
 * data-path rule first ({@link DataPathGate#checkRequest}): it may write only the cluster's own
 * globals of the node (shard and staging tables), and compute otherwise. Just before each request
 * is sent, the {@link Fence} is asked whether this router may still write the table (the session
 * holding its write lock is alive); a request it stops is not sent, and its replica fails.
 */
final class ReplicaWrites {
    /** Whether a write request to a table may be sent now (completes) or not any more (fails, saying why). */
    @FunctionalInterface
    interface Fence {
        CompletableFuture<Void> beforeSend(String table);
    }

    private final NodeConnections connections;
    private final Fence fence;

    ReplicaWrites(NodeConnections connections, Fence fence) {
        this.connections = connections;
        this.fence = fence;
    }

    /** Writes {@code requests} to the shard's writable replicas at {@code snapshot}. */
    CompletableFuture<ShardOutcome> write(ClusterSnapshot snapshot, String table, int shard, List<RayValue> requests,
            long timeoutMillis) {
        return write(snapshot, table, shard, requests, timeoutMillis, ReplicaWrites::writable);
    }

    /** Whether a replica takes writes: LIVE, or COPYING. */
    static boolean writable(Replica r) {
        return r.getState() == ReplicaState.LIVE || r.getState() == ReplicaState.COPYING;
    }

    /** Writes {@code requests} to the shard's replicas at {@code snapshot} that {@code to} accepts. */
    CompletableFuture<ShardOutcome> write(ClusterSnapshot snapshot, String table, int shard, List<RayValue> requests,
            long timeoutMillis, Predicate<Replica> to) {
        requests.forEach(ReplicaWrites::check);
        ShardPlacement placement = snapshot.shard(table, shard);
        int senders = (int) placement.getReplicasList().stream()
                .filter(r -> to.test(r) && snapshot.nodes().containsKey(r.getNodeId())).count();
        List<EncodedRequest> encoded = encodedOnce(requests, senders); // every replica sends the same bytes
        Map<String, CompletableFuture<ReplicaOutcome>> sends = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        for (Replica r : placement.getReplicasList()) {
            if (!to.test(r)) {
                skipped.add(r.getNodeId() + " " + r.getState());
                continue;
            }
            NodeInfo node = snapshot.nodes().get(r.getNodeId());
            if (node == null) {
                sends.put(r.getNodeId(), CompletableFuture.completedFuture(ReplicaOutcome.failed(r.getNodeId(),
                        "node is not a member of the cluster at epoch " + snapshot.epoch())));
                continue;
            }
            sends.put(r.getNodeId(), sendEncoded(node, table, encoded, timeoutMillis));
        }
        String unwritable = String.join(", ", skipped);
        Map<String, List<Integer>> shardsOf = new LinkedHashMap<>();
        sends.keySet().forEach(n -> shardsOf.put(n, List.of(shard)));
        return PeerGrace.await(sends, shardsOf, PeerGrace.MILLIS, ReplicaOutcome::ok)
                .thenApply(outcomes -> new ShardOutcome(table, shard, new ArrayList<>(outcomes.values()), unwritable));
    }

    /** Sends one request to one node; completes with its answer or its failure. */
    CompletableFuture<RayValue> ask(NodeInfo node, RayValue request, long timeoutMillis) {
        try {
            check(request);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return connections.acquire(node).thenCompose(lease -> lease.connection().request(request, timeoutMillis)
                .whenComplete((v, e) -> {
                    if (e == null || cause(e) instanceof RayforceEvaluationError) {
                        lease.release();
                    } else {
                        lease.discard();
                    }
                }));
    }

    /**
     * Sends the requests one after another to one replica; never completes exceptionally. The
     * caller may cancel the answer (a straggler its grace ran out on, {@link PeerGrace}): the
     * connection is then reset, so a request still held by the kernel (a node cut off) is not
     * delivered once the link is back, after the replica was re-filled; no further request is sent.
     * A request that fails other than by an engine error resets its connection for the same reason.
     */
    CompletableFuture<ReplicaOutcome> send(NodeInfo node, String table, List<RayValue> requests, long timeoutMillis) {
        return sendEncoded(node, table, encodedOnce(requests, 1), timeoutMillis);
    }

    /** The requests, each encoded once for {@code senders} sends (and let go after the last). */
    private static List<EncodedRequest> encodedOnce(List<RayValue> requests, int senders) {
        List<EncodedRequest> out = new ArrayList<>(requests.size());
        requests.forEach(r -> out.add(senders > 0 ? EncodedRequest.shared(r, 0, senders) : EncodedRequest.sync(r, 0)));
        return out;
    }

    private CompletableFuture<ReplicaOutcome> sendEncoded(NodeInfo node, String table, List<EncodedRequest> requests,
            long timeoutMillis) {
        String id = node.getId();
        String where = node.getHost() + ":" + node.getIpcPort();
        CompletableFuture<ReplicaOutcome> result = new CompletableFuture<>();
        connections.acquire(node).whenComplete((lease, connectError) -> {
            if (connectError != null) {
                result.complete(ReplicaOutcome.failed(id, "cannot connect to " + where + ": " + cause(connectError).getMessage()));
                return;
            }
            result.whenComplete((o, e) -> {
                if (result.isCancelled()) {
                    lease.abort();
                }
            });
            next(lease, table, requests, 0, null, timeoutMillis, id, result);
        });
        return result;
    }

    private void next(NodeConnections.Lease lease, String table, List<EncodedRequest> requests, int i, RayValue last, long timeoutMillis,
            String id, CompletableFuture<ReplicaOutcome> result) {
        if (result.isCancelled()) {
            lease.abort();
            return;
        }
        if (i == requests.size()) {
            lease.release();
            result.complete(ReplicaOutcome.applied(id, last));
            return;
        }
        // the fence waits for ZooKeeper at most as long as the request may take
        fence.beforeSend(table).orTimeout(timeoutMillis, TimeUnit.MILLISECONDS).whenComplete((pass, stopped) -> {
            if (stopped != null) {
                lease.release();
                String why = (cause(stopped) instanceof java.util.concurrent.TimeoutException
                        ? "not sent: the ZooKeeper session that holds the write lock of table " + table + " could not be proven "
                                + "alive within " + timeoutMillis + " ms (ZooKeeper could not be reached)"
                        : cause(stopped).getMessage()) + (i > 0 ? " (after " + i + " of " + requests.size() + " requests)" : "");
                // nothing of it sent is certain only before its first request
                result.complete(ReplicaOutcome.stopped(id, why, i > 0));
                return;
            }
            send(lease, table, requests, i, timeoutMillis, id, result);
        });
    }

    private void send(NodeConnections.Lease lease, String table, List<EncodedRequest> requests, int i, long timeoutMillis, String id,
            CompletableFuture<ReplicaOutcome> result) {
        lease.connection().request(requests.get(i), timeoutMillis).whenComplete((answer, e) -> {
            if (e == null) {
                next(lease, table, requests, i + 1, answer, timeoutMillis, id, result);
                return;
            }
            Throwable c = cause(e);
            if (c instanceof RayforceEvaluationError ev) {
                lease.release();
                result.complete(ReplicaOutcome.failed(id, "engine error " + ev.code()
                        + (requests.size() > 1 ? " on request " + (i + 1) + " of " + requests.size() : "")));
            } else {
                lease.abort();
                result.complete(ReplicaOutcome.lost(id, (c.getMessage() == null ? c.toString() : c.getMessage())
                        + (i > 0 ? " (after " + i + " of " + requests.size() + " requests)" : "")));
            }
        });
    }

    /** The data-path rule for what the write path sends to a node. */
    static void check(RayValue request) {
        DataPathGate.checkRequest(request, ClusterNaming::isClusterGlobal);
    }

    private static Throwable cause(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}
