package io.rayforce.cluster.router.write;

import io.rayforce.cluster.client.RayforceError;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.Replica;
import io.rayforce.cluster.router.QueryOptions;
import io.rayforce.cluster.router.exec.ClusterQueryError;
import io.rayforce.cluster.router.exec.Executor;
import io.rayforce.cluster.router.exec.PlacementSource;
import io.rayforce.cluster.router.exec.QueryContext;
import io.rayforce.cluster.router.exec.UnitId;
import io.rayforce.cluster.router.plan.ScratchEngine;
import io.rayforce.cluster.router.read.ReadLocks;
import io.rayforce.cluster.router.read.ReadPath;
import io.rayforce.cluster.router.services.ClusterServices;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/** What the writers share: placement, cluster services, replica I/O, the scratch engine and the read path. */
final class WriteKit {
    final PlacementSource placement;
    final ReplicaWrites replicas;
    final Executor executor;
    final DataNormalizer normalizer;
    final ReadPath read;
    final ScratchEngine scratch;
    final IntentRecovery recovery;
    final ReadLocks readLocks;
    final WriteLeases leases;
    private final Supplier<ClusterServices> services;

    WriteKit(PlacementSource placement, Supplier<ClusterServices> services, ReplicaWrites replicas, Executor executor,
            ScratchEngine scratch, ReadPath read) {
        this.placement = placement;
        this.services = services;
        this.replicas = replicas;
        this.executor = executor;
        this.scratch = scratch;
        this.read = read;
        this.normalizer = new DataNormalizer(scratch, read);
        this.recovery = new IntentRecovery(this);
        this.leases = new WriteLeases(this);
        this.readLocks = new ReadLocks(services, recovery::recoverAll, leases);
    }

    /** The cluster services, or null when this router has no ZooKeeper (a fixed placement). */
    ClusterServices servicesIfAny() {
        return services.get();
    }

    /** The cluster services; fails when this router has no ZooKeeper connection to take locks with. */
    ClusterServices services(String what) {
        ClusterServices s = services.get();
        if (s == null) {
            throw new ClusterQueryError(what + ": writes need the cluster's ZooKeeper (shard locks, row sequences, the "
                    + "coordinator); this client was built on a fixed placement");
        }
        return s;
    }

    Acknowledgement acknowledgement(String what) {
        return new Acknowledgement(services(what).control());
    }

    QueryContext context(ClusterSnapshot snapshot, QueryOptions options) {
        return new QueryContext(snapshot, options.timeout(), false);
    }

    /** How long a write waits for its locks and for each replica when its options set no timeout. */
    static final Duration NO_TIMEOUT_BOUND = ReadLocks.NO_TIMEOUT_BOUND;

    /** How long a write waits for its locks and for each replica. */
    static Duration timeout(QueryOptions options) {
        return timeout(options.timeout());
    }

    /** {@code timeout}, or {@link #NO_TIMEOUT_BOUND} when it is null or zero (none). */
    static Duration timeout(Duration timeout) {
        return timeout == null || timeout.isZero() ? NO_TIMEOUT_BOUND : timeout;
    }

    /** Writes each shard's requests to its writable replicas, all shards at once; waits for every outcome. */
    List<ShardOutcome> writeAll(ClusterSnapshot snapshot, String table, Map<Integer, List<RayValue>> requests,
            QueryOptions options) {
        return writeAll(snapshot, table, requests, options, (shard, r) -> ReplicaWrites.writable(r));
    }

    /** Which replicas of a shard a request goes to. */
    interface ReplicaFilter {
        boolean test(int shard, Replica replica);
    }

    /** As {@link #writeAll(ClusterSnapshot, String, Map, QueryOptions)}, to the replicas {@code to} accepts. */
    List<ShardOutcome> writeAll(ClusterSnapshot snapshot, String table, Map<Integer, List<RayValue>> requests,
            QueryOptions options, ReplicaFilter to) {
        long millis = timeout(options).toMillis();
        // every shard's requests pass the data-path rule before any shard gets one
        requests.values().forEach(reqs -> reqs.forEach(ReplicaWrites::check));
        List<CompletableFuture<ShardOutcome>> all = new ArrayList<>();
        requests.forEach((shard, reqs) -> all.add(replicas.write(snapshot, table, shard, reqs, millis, r -> to.test(shard, r))));
        List<ShardOutcome> out = new ArrayList<>();
        for (CompletableFuture<ShardOutcome> f : all) {
            out.add(await(f));
        }
        return out;
    }

    /** Runs a read on one LIVE replica of each shard (failing over between them); answers in shard order. */
    List<RayValue> readEach(ClusterSnapshot snapshot, String table, List<Integer> shards, Map<Integer, RayValue> requests,
            QueryOptions options) {
        QueryContext ctx = context(snapshot, options);
        List<CompletableFuture<RayValue>> all = new ArrayList<>();
        for (int s : shards) {
            all.add(executor.run(ctx, new UnitId(table, s, snapshot.epoch()), requests.get(s)));
        }
        List<RayValue> out = new ArrayList<>();
        for (CompletableFuture<RayValue> f : all) {
            out.add(await(f));
        }
        return out;
    }

    static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterQueryError("interrupted while writing", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause() instanceof CompletionException ce && ce.getCause() != null ? ce.getCause() : e.getCause();
            if (c instanceof RayforceError r) {
                throw r;
            }
            throw new ClusterQueryError(String.valueOf(c), c);
        }
    }
}
