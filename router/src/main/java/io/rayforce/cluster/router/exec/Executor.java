package io.rayforce.cluster.router.exec;

import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.RayforceTCPError;
import io.rayforce.cluster.client.ipc.Wire;
import io.rayforce.cluster.client.rayfall.DataPathGate;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.coordinator.meta.ClusterNaming;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs units of work on replicas. Every request passes the data-path rule
 * ({@link DataPathGate#checkExpression}) before it is sent, and goes as a read: marked so that
 * the engine's journal never replays it ({@link Wire#FLAG_RESTRICTED}). A unit goes to a LIVE
 * replica of its shard at the query's epoch; on a lost connection or a timeout it fails over to
 * the next replica. An engine error is the query's answer and is not retried, except a
 * {@code name} error from a replica that does not hold the shards the request names (placement
 * moved on: asked of the replica itself), where the next replica is tried. A unit that no
 * replica answers fails the query with {@link MissingShardsError}, or, when the query accepts
 * partial results, is recorded as missing. What it does is counted ({@link ShardMeters}).
 */
public final class Executor {
    private static final Logger log = LoggerFactory.getLogger(Executor.class);

    private final NodeConnections connections;

    public Executor(NodeConnections connections) {
        this.connections = connections;
    }

    /**
     * Runs {@code request} for {@code unit}; completes with the engine's answer, or with null
     * when the unit is missing and partial results are allowed.
     */
    public CompletableFuture<RayValue> run(QueryContext ctx, UnitId unit, RayValue request) {
        return run(ctx, unit, request, ReplicaChoice.ANY);
    }

    /** As {@link #run(QueryContext, UnitId, RayValue)}, on the replicas {@code choice} allows. */
    public CompletableFuture<RayValue> run(QueryContext ctx, UnitId unit, RayValue request, ReplicaChoice choice) {
        try {
            DataPathGate.checkExpression(request);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        List<NodeInfo> replicas;
        try {
            replicas = choice.candidates(ctx.snapshot(), unit);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new ClusterQueryError(e.getMessage()));
        }
        if (replicas.isEmpty()) {
            return missing(ctx, unit, "no live replica at epoch " + unit.epoch());
        }
        // spread load: each query starts at a different replica
        int start = (int) Math.floorMod(ctx.id() + unit.shard(), (long) replicas.size());
        CompletableFuture<RayValue> result = new CompletableFuture<>();
        ctx.unitSent(unit);
        result.whenComplete((v, e) -> ctx.unitDone(unit));
        attempt(ctx, unit, request, replicas, start, 0, null, result, false);
        if (ctx.hedgeAfter() != null && replicas.size() > 1) {
            // the other replicas, in the order failover would try them
            List<NodeInfo> others = new ArrayList<>();
            for (int i = 1; i < replicas.size(); i++) {
                others.add(replicas.get((start + i) % replicas.size()));
            }
            HEDGES.schedule(() -> {
                if (!result.isDone()) {
                    // the unit also goes to another replica; the first answer completes it
                    CompletableFuture<RayValue> hedge = new CompletableFuture<>();
                    ShardMeters.HEDGES.increment();
                    hedge.thenAccept(v -> {
                        if (result.complete(v)) {
                            ShardMeters.HEDGES_WON.increment();
                        }
                    });
                    attempt(ctx, unit, request, others, 0, 0, null, hedge, true);
                }
            }, ctx.hedgeAfter().toNanos(), TimeUnit.NANOSECONDS);
        }
        return result;
    }

    /** How long a unit's answer is awaited before its node's reachability is checked, and between checks. */
    static final Duration WATCH = Duration.ofSeconds(1);

    /**
     * While a unit's answer is outstanding and another replica could answer it, checks every
     * {@link #WATCH} whether its node is still there ({@link NodeReachability}: its engine port
     * takes TCP connections and its agent answers); once it is not (cut off, gone, frozen), the
     * connection is reset, which fails the attempt and sends the unit to the next replica, instead
     * of waiting for the query's timeout. A node that is only slow (a long query) is waited for.
     */
    private void watch(UnitId unit, NodeInfo node, String nodeName, NodeConnections.Lease lease,
            CompletableFuture<RayValue> answer) {
        HEDGES.schedule(() -> {
            if (answer.isDone()) {
                return;
            }
            connections.reachability().reachable(node).thenAccept(reachable -> {
                if (answer.isDone()) {
                    return;
                }
                if (reachable) {
                    watch(unit, node, nodeName, lease, answer);
                } else {
                    log.info("{}: {} is not there any more (its engine port takes no connection, or its agent does not answer); "
                            + "trying another replica", unit, nodeName);
                    ShardMeters.UNREACHABLE.increment();
                    lease.abort();
                }
            });
        }, WATCH.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Fires hedges; daemon, shared by all executors. */
    private static final ScheduledExecutorService HEDGES = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rayforce-router-hedges");
        t.setDaemon(true);
        return t;
    });

    /** Runs one request per unit; the function builds a unit's request. */
    public CompletableFuture<ShardResults> runAll(QueryContext ctx, List<UnitId> units, Function<UnitId, RayValue> request) {
        return runAll(ctx, units, request, ReplicaChoice.ANY);
    }

    /** Runs one request per unit on the replicas {@code choice} allows. */
    public CompletableFuture<ShardResults> runAll(QueryContext ctx, List<UnitId> units, Function<UnitId, RayValue> request,
                                                  ReplicaChoice choice) {
        return runAll(ctx, units, request, choice, false);
    }

    /**
     * As above; with {@code answerRows}, each answer is counted against the query's result
     * limits as it arrives ({@link QueryContext#admitShardAnswer}), for plans whose answer is the
     * shards' rows.
     */
    public CompletableFuture<ShardResults> runAll(QueryContext ctx, List<UnitId> units, Function<UnitId, RayValue> request,
                                                  ReplicaChoice choice, boolean answerRows) {
        return runAll(ctx, units, request, choice, answerRows ? ctx::admitShardAnswer : v -> { });
    }

    /** As above; {@code admit} sees each answer as it arrives (and may fail the query by throwing). */
    public CompletableFuture<ShardResults> runAll(QueryContext ctx, List<UnitId> units, Function<UnitId, RayValue> request,
                                                  ReplicaChoice choice, Consumer<RayValue> admit) {
        ShardResults results = new ShardResults(units);
        CompletableFuture<?>[] all = new CompletableFuture<?>[units.size()];
        for (int i = 0; i < units.size(); i++) {
            UnitId u = units.get(i);
            all[i] = run(ctx, u, request.apply(u), choice).thenAccept(v -> {
                if (v != null) {
                    admit.accept(v);
                    results.accept(u, v);
                }
            });
        }
        return CompletableFuture.allOf(all).thenApply(x -> results);
    }

    /**
     * Tries replica {@code start + tried} and, on failure, the ones after it. A hedge tries until
     * the list ends without recording anything missing: the unit's own attempt does that.
     */
    private void attempt(QueryContext ctx, UnitId unit, RayValue request, List<NodeInfo> replicas, int start, int tried,
                         String lastFailure, CompletableFuture<RayValue> result, boolean hedge) {
        if (ctx.isCancelled()) {
            result.completeExceptionally(ctx.cancellation());
            return;
        }
        if (ctx.expired()) {
            result.completeExceptionally(new QueryTimeoutError(ctx.timeout(), "while running " + unit
                    + (lastFailure == null ? "" : " (last failure: " + lastFailure + ")")));
            return;
        }
        if (tried == replicas.size() && hedge) {
            result.completeExceptionally(new ClusterQueryError("hedge of " + unit + " failed: " + lastFailure));
            return;
        }
        if (tried == replicas.size()) {
            missing(ctx, unit, lastFailure).whenComplete((v, e) -> {
                if (e != null) {
                    result.completeExceptionally(e);
                } else {
                    result.complete(v);
                }
            });
            return;
        }
        NodeInfo node = replicas.get((start + tried) % replicas.size());
        String nodeName = node.getId() + " (" + node.getHost() + ":" + node.getIpcPort() + ")";
        if (tried > 0) {
            ShardMeters.RETRIES.increment();
            log.debug("{} of query {}: trying {} after {}", unit, ctx.id(), nodeName, lastFailure);
        }
        long t0 = System.nanoTime();
        connections.acquire(node).whenComplete(QueryMdc.carrying((lease, connectError) -> {
            if (connectError != null) {
                String why = cause(connectError).getMessage();
                ShardMeters.FAILED.increment();
                ctx.trace().record(new QueryTrace.Attempt(unit, nodeName, micros(t0), "connect failed: " + why));
                attempt(ctx, unit, request, replicas, start, tried + 1, nodeName + ": " + why, result, hedge);
                return;
            }
            // the connection is this attempt's only while its lease is held; a cancel after that is not sent,
            // and a connection a cancel was sent on is not lent again (NodeConnections.Lease.cancel)
            ctx.onCancel(lease::cancel);
            CompletableFuture<RayValue> answer = lease.connection().request(request, ctx.remainingMillis(), Wire.FLAG_RESTRICTED);
            if (tried + 1 < replicas.size()) {
                watch(unit, node, nodeName, lease, answer);
            }
            answer.whenComplete(QueryMdc.carrying((value, e) -> {
                Throwable err = e == null ? null : cause(e);
                if (err == null) {
                    ShardMeters.OK.increment();
                    if (tried > 0 && !hedge) {
                        ShardMeters.FAILOVERS.increment();
                    }
                    lease.release();
                    ctx.trace().record(new QueryTrace.Attempt(unit, nodeName, micros(t0), hedge ? "ok (hedge)" : "ok"));
                    result.complete(value);
                } else if (err instanceof RayforceEvaluationError ev && ev.code().equals("name")) {
                    // a name the engine does not know: the query's own typo, or this replica lacks the shard
                    ShardProbe.holdsAll(lease, request, ctx.remainingMillis()).whenComplete(QueryMdc.carrying((holds, pe) -> {
                        if (pe == null && holds) {
                            ShardMeters.ENGINE_ERROR.increment();
                            lease.release();
                            ctx.trace().record(new QueryTrace.Attempt(unit, nodeName, micros(t0), "engine error name"));
                            result.completeExceptionally(new RayforceEvaluationError("name", "shard " + unit.shard()
                                    + " of " + unit.table() + " on " + node.getId() + ": a name in the query is not defined"));
                            return;
                        }
                        ShardMeters.FAILED.increment();
                        if (pe == null) {
                            lease.release();
                        } else {
                            lease.discard();
                        }
                        String why = pe == null ? "does not hold the shard at epoch " + unit.epoch() : "shard check failed: "
                                + cause(pe).getMessage();
                        ctx.trace().record(new QueryTrace.Attempt(unit, nodeName, micros(t0), "failed: " + why));
                        attempt(ctx, unit, request, replicas, start, tried + 1, nodeName + ": " + why, result, hedge);
                    }));
                } else if (err instanceof RayforceEvaluationError ev) {
                    ShardMeters.ENGINE_ERROR.increment();
                    lease.release();
                    ctx.trace().record(new QueryTrace.Attempt(unit, nodeName, micros(t0), "engine error " + ev.code()));
                    if (ev.code().equals("cancel") && ctx.isCancelled()) {
                        result.completeExceptionally(ctx.cancellation());
                    } else {
                        result.completeExceptionally(new RayforceEvaluationError(ev.code(), "shard " + unit.shard()
                                + " of " + unit.table() + " on " + node.getId()));
                    }
                } else {
                    ShardMeters.FAILED.increment();
                    settle(lease, err);
                    ctx.trace().record(new QueryTrace.Attempt(unit, nodeName, micros(t0), "failed: " + err.getMessage()));
                    attempt(ctx, unit, request, replicas, start, tried + 1, nodeName + ": " + err.getMessage(), result, hedge);
                }
            }));
        }));
    }

    /**
     * Runs a request on one node that may write only the query's temporaries there
     * ({@link ClusterNaming#isTemporaryGlobal}, checked by the data-path rule first) and compute
     * otherwise: a shuffle's appends, and the work over its partitions. It goes with the
     * restricted flag, so no journal keeps it. The temporaries live on that node only, so there
     * is no failover: a lost connection or timeout fails the query, naming the node and
     * {@code step}; an engine error is the query's answer (with the engine's code). A cancelled
     * query cancels the request on its connection.
     */
    public CompletableFuture<RayValue> onNode(QueryContext ctx, NodeInfo node, RayValue request, String step) {
        return onNode(ctx, node, request, step, false);
    }

    /**
     * As {@link #onNode(QueryContext, NodeInfo, RayValue, String)}, and with {@code durable} a write
     * of the cluster's own globals there ({@link ClusterNaming#isClusterGlobal}: a write's staging
     * tables), sent as a plain sync request, so the node's journal keeps it and a restart replays
     * it, as every write the write path sends.
     */
    public CompletableFuture<RayValue> onNode(QueryContext ctx, NodeInfo node, RayValue request, String step, boolean durable) {
        try {
            DataPathGate.checkRequest(request, durable ? ClusterNaming::isClusterGlobal : ClusterNaming::isTemporaryGlobal);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (ctx.isCancelled()) {
            return CompletableFuture.failedFuture(ctx.cancellation());
        }
        if (ctx.expired()) {
            return CompletableFuture.failedFuture(new QueryTimeoutError(ctx.timeout(), "at " + step + " on " + node.getId()));
        }
        String nodeName = node.getId() + " (" + node.getHost() + ":" + node.getIpcPort() + ")";
        CompletableFuture<RayValue> result = new CompletableFuture<>();
        long t0 = System.nanoTime();
        UnitId unit = new UnitId("temporaries", -1, ctx.epoch()); // no shard: the trace names the node
        connections.acquire(node).whenComplete((lease, connectError) -> {
            if (connectError != null) {
                result.completeExceptionally(new ClusterQueryError("node " + nodeName + " could not be reached at " + step
                        + ": " + cause(connectError).getMessage()));
                return;
            }
            ctx.onCancel(lease::cancel);
            lease.connection().request(request, ctx.remainingMillis(), durable ? 0 : Wire.FLAG_RESTRICTED).whenComplete((value, e) -> {
                Throwable err = e == null ? null : cause(e);
                settle(lease, err);
                if (err == null) {
                    ctx.trace().record(new QueryTrace.Attempt(unit, nodeName, micros(t0), "ok"));
                    result.complete(value);
                } else if (err instanceof RayforceEvaluationError ev) {
                    ctx.trace().record(new QueryTrace.Attempt(unit, nodeName, micros(t0), "engine error " + ev.code()));
                    result.completeExceptionally(ev.code().equals("cancel") && ctx.isCancelled()
                            ? ctx.cancellation()
                            : new RayforceEvaluationError(ev.code(), step + " on " + node.getId()));
                } else {
                    ctx.trace().record(new QueryTrace.Attempt(unit, nodeName, micros(t0), "failed: " + err.getMessage()));
                    result.completeExceptionally(ctx.isCancelled() ? ctx.cancellation()
                            : ctx.expired() ? new QueryTimeoutError(ctx.timeout(), "at " + step + " on " + node.getId())
                            : new ClusterQueryError("node " + nodeName + " failed at " + step + ": " + err.getMessage()));
                }
            });
        });
        return result;
    }

    /**
     * Removes temporaries from a node whatever became of the query (it may have been cancelled
     * or timed out): {@code (del 'name)} each, sent with the restricted flag; completes with the
     * failure's message, or null when all were removed (a name that is already gone counts as
     * removed).
     */
    public CompletableFuture<String> dropTemporaries(NodeInfo node, List<String> names, long timeoutMillis) {
        List<RayValue> dels = new ArrayList<>();
        for (String n : names) {
            if (!ClusterNaming.isTemporaryGlobal(n)) {
                return CompletableFuture.completedFuture("not a temporary: " + n);
            }
            dels.add(RayList.of(Name.of("del"),
                    Symbol.of(n)));
        }
        if (dels.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        List<RayValue> items = new ArrayList<>();
        items.add(Name.of("do"));
        items.addAll(dels);
        items.add(I64Atom.of(0));
        RayValue request = RayList.of(items);
        DataPathGate.checkRequest(request, ClusterNaming::isTemporaryGlobal);
        CompletableFuture<String> out = new CompletableFuture<>();
        connections.acquire(node).whenComplete((lease, connectError) -> {
            if (connectError != null) {
                out.complete("node " + node.getId() + " could not be reached: " + cause(connectError).getMessage());
                return;
            }
            lease.connection().request(request, timeoutMillis, Wire.FLAG_RESTRICTED).whenComplete((v, e) -> {
                Throwable err = e == null ? null : cause(e);
                settle(lease, err);
                out.complete(err == null ? null : "node " + node.getId() + ": " + err.getMessage());
            });
        });
        return out;
    }

    /** Gives a connection back after its request ended with {@code err} (null: answered); one that broke is closed. */
    private static void settle(NodeConnections.Lease lease, Throwable err) {
        if (err instanceof RayforceTCPError) {
            lease.discard();
        } else {
            lease.release();
        }
    }

    private static CompletableFuture<RayValue> missing(QueryContext ctx, UnitId unit, String reason) {
        ShardMeters.MISSING.increment();
        MissingShard m = new MissingShard(unit, reason);
        if (ctx.allowPartial()) {
            ctx.recordMissing(m);
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.failedFuture(new MissingShardsError(List.of(m)));
    }

    private static Throwable cause(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    private static long micros(long t0) {
        return (System.nanoTime() - t0) / 1000;
    }
}
