package io.rayforce.cluster.router.write;

import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.coordinator.meta.ClusterNaming.ShardRef;
import io.rayforce.cluster.coordinator.meta.ClusterNaming;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.coordinator.proto.Replica;
import io.rayforce.cluster.coordinator.proto.ShardReplicas;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.proto.WriteIntent;
import io.rayforce.cluster.coordinator.proto.WriteKind;
import io.rayforce.cluster.coordinator.proto.WritePhase;
import io.rayforce.cluster.coordinator.store.WriteIntents;
import io.rayforce.cluster.router.QueryOptions;
import io.rayforce.cluster.router.exec.ClusterQueryError;
import io.rayforce.cluster.router.services.ClusterServices;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves write intents (docs/architecture.md, Atomic visibility), under the table's write
 * lock, so that a write whose router died is either fully present or fully absent:
 * <ul>
 * <li>APPEND (inserts): its {@code __seq} range is deleted from every writable replica of its
 *     shards: absent.</li>
 * <li>COPY_ON_WRITE, PREPARED: the staging globals are dropped: absent.</li>
 * <li>COPY_ON_WRITE, COMMITTED: the staging globals are swapped in on the replicas that staged
 *     them; writable replicas that did not are marked STALE: present.</li>
 * </ul>
 * Each step is idempotent, so recovery that is itself interrupted is simply repeated. A replica
 * that fails a step is reported to the coordinator (STALE) when another replica of its shard
 * completed it; when none did, the intent stays and the table's reads fail, naming it, until a
 * later recovery succeeds. The same steps finish or undo the writer's own writes.
 */
final class IntentRecovery {
    private static final Logger log = LoggerFactory.getLogger(IntentRecovery.class);
    /** How long to wait for an intent whose owner lives although the caller holds the table's lock. */
    static final Duration LIVE_OWNER_WAIT = Duration.ofSeconds(2);

    private final WriteKit kit;

    IntentRecovery(WriteKit kit) {
        this.kit = kit;
    }

    /**
     * Recovers every orphan intent of {@code table}; the caller holds the table's write lock.
     * Answers how many it recovered. An intent whose owner still lives (its writer holds no lock
     * of the table, which only a writer that lost its lock can do) is waited for up to
     * {@link #LIVE_OWNER_WAIT}, then the call fails naming it.
     */
    int recoverAll(String table, QueryOptions options, String what) {
        WriteIntents intents = kit.services(what).intents();
        long deadline = System.nanoTime() + LIVE_OWNER_WAIT.toNanos();
        int recovered = 0;
        while (true) {
            List<WriteIntents.Stored> live = new ArrayList<>();
            for (WriteIntents.Stored s : intents.list(table)) {
                if (s.owned()) {
                    live.add(s);
                } else {
                    recover(s, options, what);
                    recovered++;
                }
            }
            if (live.isEmpty()) {
                return recovered;
            }
            if (System.nanoTime() > deadline) {
                throw new ClusterQueryError(what + ": table " + table + " has a write in progress whose writer holds no lock of "
                        + "it (" + live + ", router " + live.get(0).intent().getRouterId() + "); it is recovered once that "
                        + "writer's ZooKeeper session ends");
            }
            pause();
        }
    }

    /** Resolves one orphan intent and deletes it; fails (the intent stays) when a shard cannot be brought to either end. */
    void recover(WriteIntents.Stored s, QueryOptions options, String what) {
        WriteIntent in = s.intent();
        String table = in.getTable();
        List<Integer> shards = in.getShardsList().stream().map(ShardReplicas::getShard).toList();
        ClusterServices services = kit.services(what);
        String outcome;
        if (in.getStagingSuffix().isEmpty()) {
            // Recording stopped between the intent's create and its owner (ZooKeeper failed between the
            // two): its writer never got the intent back, so it touched no shard. Nothing to undo, and
            // no staging name to build (an empty suffix would name the shard itself).
            outcome = "never recorded whole, so its writer touched no shard: deleted";
        } else if (!sameTable(kit.placement.snapshot(), in) || shards.isEmpty()) {
            dropStagingOnRecordedNodes(in);
            outcome = "the table was dropped since";
        } else {
            List<ShardRef> refs = shards.stream().map(x -> new ShardRef(table, x)).toList();
            try (LockedShards locked = LockedShards.lock(services, kit.placement, refs, WriteKit.timeout(options), what)) {
                ClusterSnapshot snapshot = locked.snapshot();
                List<String> problems = new ArrayList<>();
                if (!sameTable(snapshot, in)) {
                    dropStagingOnRecordedNodes(in);
                    outcome = "the table was dropped since";
                } else if (in.getKind() == WriteKind.APPEND_LEASE) {
                    long[] stamp = new long[1];
                    problems = recoverLease(snapshot, in, stamp, options, what);
                    outcome = "the write lease's groups committed by some replica (up to __seq " + stamp[0]
                            + ") committed everywhere, the others dropped";
                } else if (in.getKind() == WriteKind.APPEND) {
                    problems = removeRange(snapshot, table, shards, in.getSeqFirst(), in.getSeqLast(), options, what);
                    outcome = "rolled back (rows of __seq " + in.getSeqFirst() + ".." + in.getSeqLast() + " removed)";
                } else if (in.getPhase() == WritePhase.PREPARED) {
                    dropStaging(snapshot, table, shards, in.getStagingSuffix(), options);
                    outcome = "rolled back (staging tables dropped)";
                } else {
                    problems = swapIn(snapshot, in, options, what);
                    outcome = "completed (staging tables swapped in)";
                }
                if (!problems.isEmpty()) {
                    throw new ClusterQueryError(what + ": table " + table + " has an unfinished " + in.getStatement() + " (" + s
                            + ") that could not be " + (outcome.startsWith("completed") ? "completed" : "rolled back") + ": "
                            + String.join("; ", problems) + "; it is tried again by the next read or write of " + table);
                }
            }
        }
        services.intents().delete(s);
        log.info("recovered {} of a writer that died ({}): {}", s, in.getRouterId(), outcome);
    }

    /**
     * Recovers a write lease whose router died (docs/router.md, Write leases): every writable replica
     * of the table is fenced (its record gets one past the dead lease, so that router's requests are
     * refused from then on) and tells the stamp of the last group it committed; the largest stamp C
     * is the lease's outcome: every replica commits its pending rows when they are of a group up to C
     * (some replica committed that group, so every replica holds it pending or committed) and drops
     * them otherwise. A replica left with fewer rows than another of its shard (it was filled from a
     * copy while the lease was dead) or that missed a group another replica wrote in one step (its
     * stamp is below that replica's one-step stamp) is reported STALE; a shard none of whose replicas
     * answered is a problem.
     */
    List<String> recoverLease(ClusterSnapshot snapshot, WriteIntent in, long[] stampOut, QueryOptions options, String what) {
        String table = in.getTable();
        long epoch = in.getCreatedEpoch();
        long fence = in.getSeqFirst() + 1;
        long millis = WriteKit.timeout(options).toMillis();
        Map<String, List<Integer>> byNode = new java.util.TreeMap<>();
        for (ShardReplicas sr : in.getShardsList()) {
            for (Replica r : snapshot.shard(table, sr.getShard()).getReplicasList()) {
                if (ReplicaWrites.writable(r)) {
                    byNode.computeIfAbsent(r.getNodeId(), n -> new ArrayList<>()).add(sr.getShard());
                }
            }
        }
        Map<String, CompletableFuture<RayValue>> fenced = new LinkedHashMap<>();
        byNode.forEach((node, shards) -> fenced.put(node, ask(snapshot, node,
                AppendForms.recoveryFence(table, epoch, fence, shards), millis)));
        long stamp = -1;
        Map<String, String> failed = new LinkedHashMap<>();
        Map<String, long[]> before = new LinkedHashMap<>();
        Map<Integer, Long> oneStep = new java.util.HashMap<>();
        for (Map.Entry<String, CompletableFuture<RayValue>> e : fenced.entrySet()) {
            try {
                long[] stamps = longs(e.getValue().join());
                before.put(e.getKey(), stamps);
                List<Integer> shards = byNode.get(e.getKey());
                for (int i = 0; i < shards.size(); i++) {
                    stamp = Math.max(stamp, stamps[2 * i]);
                    oneStep.merge(shards.get(i), stamps[2 * i + 1], Math::max);
                }
            } catch (RuntimeException ex) {
                failed.put(e.getKey(), "fencing failed: " + cause(ex));
            }
        }
        stampOut[0] = stamp;
        long c = stamp;
        Map<String, CompletableFuture<RayValue>> resolved = new LinkedHashMap<>();
        byNode.forEach((node, shards) -> {
            if (!failed.containsKey(node)) {
                resolved.put(node, ask(snapshot, node, AppendForms.recoveryResolve(table, epoch, fence, shards, c), millis));
            }
        });
        Map<String, long[]> counts = new LinkedHashMap<>();
        resolved.forEach((node, f) -> {
            try {
                counts.put(node, longs(f.join()));
            } catch (RuntimeException ex) {
                failed.put(node, "resolving failed: " + cause(ex));
            }
        });
        List<ShardOutcome> outcomes = new ArrayList<>();
        for (ShardReplicas sr : in.getShardsList()) {
            int shard = sr.getShard();
            long most = -1;
            Map<String, Long> rows = new LinkedHashMap<>();
            for (Map.Entry<String, List<Integer>> e : byNode.entrySet()) {
                int i = e.getValue().indexOf(shard);
                if (i >= 0 && counts.containsKey(e.getKey())) {
                    rows.put(e.getKey(), counts.get(e.getKey())[i]);
                    most = Math.max(most, counts.get(e.getKey())[i]);
                }
            }
            List<ReplicaOutcome> rs = new ArrayList<>();
            for (Map.Entry<String, List<Integer>> e : byNode.entrySet()) {
                if (!e.getValue().contains(shard)) {
                    continue;
                }
                String node = e.getKey();
                long had = before.containsKey(node) ? before.get(node)[2 * e.getValue().indexOf(shard)] : -1;
                if (failed.containsKey(node)) {
                    rs.add(ReplicaOutcome.failed(node, failed.get(node)));
                } else if (had < oneStep.getOrDefault(shard, -1L)) {
                    rs.add(ReplicaOutcome.failed(node, "it missed a group written in one step (its stamp " + had + ", another "
                            + "replica's " + oneStep.get(shard) + ")"));
                } else if (rows.get(node) < most) {
                    rs.add(ReplicaOutcome.failed(node, "it holds " + rows.get(node) + " rows after recovery, another replica "
                            + most));
                } else {
                    rs.add(ReplicaOutcome.applied(node, I64Atom.of(rows.get(node))));
                }
            }
            outcomes.add(new ShardOutcome(table, shard, rs, ""));
        }
        return settle(snapshot, outcomes, what, "no replica could be brought to the lease's outcome");
    }

    private CompletableFuture<RayValue> ask(ClusterSnapshot snapshot, String nodeId, RayValue request, long millis) {
        NodeInfo node = snapshot.nodes().get(nodeId);
        if (node == null) {
            return CompletableFuture.failedFuture(new ClusterQueryError("node " + nodeId + " is not a member"));
        }
        return kit.replicas.ask(node, request, millis);
    }

    private static long[] longs(RayValue v) {
        if (v instanceof I64Vector iv) {
            return iv.toArray();
        }
        if (v instanceof RayList l) {
            long[] out = new long[l.length()];
            for (int i = 0; i < out.length; i++) {
                out[i] = ((I64Atom) l.get(i)).value();
            }
            return out;
        }
        throw new ClusterQueryError("unexpected answer " + v);
    }

    private static String cause(Throwable t) {
        Throwable c = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }

    private static boolean sameTable(ClusterSnapshot snapshot, WriteIntent in) {
        Optional<TablePlacement> t = snapshot.table(in.getTable());
        return t.isPresent() && t.get().getSpec().getCreatedEpoch() == in.getCreatedEpoch();
    }

    /**
     * Deletes the rows of {@code __seq} in [lo, hi] from every writable replica of the shards (the
     * range is the write's own: deleting it never touches another write's rows). Answers what could
     * not be done: a replica that failed is reported STALE when another replica of its shard
     * succeeded; a shard none succeeded on is a problem.
     */
    List<String> removeRange(ClusterSnapshot snapshot, String table, Collection<Integer> shards, long lo, long hi,
            QueryOptions options, String what) {
        Map<Integer, List<RayValue>> requests = new LinkedHashMap<>();
        for (int shard : shards) {
            RayValue where = RayList.of(Name.of("within"), Name.of(ClusterNaming.SEQ_COLUMN), I64Vector.of(lo, hi));
            RayValue delete = RayList.of(Name.of("delete"), new RayDict(SymbolVector.of("from", "where"),
                    RayList.of(Symbol.of(ClusterNaming.shardGlobal(table, shard)), where)));
            requests.put(shard, List.of(delete));
        }
        return settle(snapshot, kit.writeAll(snapshot, table, requests, options), what, "its rows could not be removed");
    }

    /** Drops the staging globals on every replica of the shards whose node is a member (best effort: failures are logged). */
    void dropStaging(ClusterSnapshot snapshot, String table, Collection<Integer> shards, String suffix, QueryOptions options) {
        Map<Integer, List<RayValue>> requests = new LinkedHashMap<>();
        for (int shard : shards) {
            requests.put(shard, List.of(Staging.drop(Staging.global(table, shard, suffix))));
        }
        for (ShardOutcome o : kit.writeAll(snapshot, table, requests, options, (shard, r) -> true)) {
            for (ReplicaOutcome r : o.failed()) {
                log.warn("could not drop the staging table of {} on {} ({}); it holds memory until the node restarts",
                        o.name(), r.nodeId(), r.failure());
            }
        }
    }

    /**
     * Swaps the staged tables of a COMMITTED intent in on the writable replicas that staged them.
     * Writable replicas that did not stage it, or fail the swap, are reported STALE when another
     * replica of their shard holds the write; a shard where none does is a problem (returned).
     */
    List<String> swapIn(ClusterSnapshot snapshot, WriteIntent in, QueryOptions options, String what) {
        String table = in.getTable();
        Map<Integer, Set<String>> staged = new HashMap<>();
        for (ShardReplicas sr : in.getStagedList()) {
            staged.put(sr.getShard(), new HashSet<>(sr.getNodesList()));
        }
        Map<Integer, List<RayValue>> requests = new LinkedHashMap<>();
        for (ShardReplicas sr : in.getShardsList()) {
            int shard = sr.getShard();
            requests.put(shard, List.of(Staging.swap(ClusterNaming.shardGlobal(table, shard),
                    Staging.global(table, shard, in.getStagingSuffix()))));
        }
        List<ShardOutcome> swapped = kit.writeAll(snapshot, table, requests, options, (shard, r) ->
                ReplicaWrites.writable(r) && staged.getOrDefault(shard, Set.of()).contains(r.getNodeId()));
        List<ShardOutcome> outcomes = new ArrayList<>();
        for (ShardOutcome o : swapped) {
            List<ReplicaOutcome> all = new ArrayList<>(o.replicas());
            for (Replica r : snapshot.shard(table, o.shard()).getReplicasList()) {
                if (ReplicaWrites.writable(r) && !staged.getOrDefault(o.shard(), Set.of()).contains(r.getNodeId())) {
                    all.add(ReplicaOutcome.failed(r.getNodeId(), "it did not stage the committed write"));
                }
            }
            outcomes.add(new ShardOutcome(o.table(), o.shard(), all, o.unwritable()));
        }
        List<String> problems = settle(snapshot, outcomes, what, "no replica holds the committed write");
        return problems.isEmpty() ? addColumns(in, what) : problems;
    }

    /**
     * The last step of a committed write that adds columns, once every shard holds them: the
     * table's spec gets them (the coordinator answers when every router has applied it, so no read
     * after this plans without them). Repeating it changes nothing; a failure is a problem.
     */
    private List<String> addColumns(WriteIntent in, String what) {
        if (in.getAddedColumnsCount() == 0) {
            return List.of();
        }
        try {
            kit.services(what).control().addColumns(in.getTable(), in.getCreatedEpoch(), in.getAddedColumnsList());
            return List.of();
        } catch (RuntimeException e) {
            return List.of("the columns " + in.getAddedColumnsList().stream().map(c -> c.getName()).toList()
                    + " are on every shard but not yet in the table's spec (" + e.getMessage() + ")");
        }
    }

    /** Reports failed replicas of shards some replica completed; answers the shards none did. */
    private List<String> settle(ClusterSnapshot snapshot, List<ShardOutcome> outcomes, String what, String noneDid) {
        Acknowledgement ack = kit.acknowledgement(what);
        List<String> problems = new ArrayList<>();
        for (ShardOutcome o : outcomes) {
            if (!o.anyApplied()) {
                if (!o.replicas().isEmpty()) {
                    problems.add(o.name() + ": " + noneDid + " (" + o.replicas() + ")");
                }
                continue;
            }
            for (ReplicaOutcome r : o.failed()) {
                String problem = ack.report(o, r, snapshot.epoch());
                if (problem != null) {
                    problems.add(problem);
                }
            }
        }
        return problems;
    }

    /** For an intent of a dropped table: drops its staging globals on the nodes it was sent to, if they are members. */
    private void dropStagingOnRecordedNodes(WriteIntent in) {
        if (in.getKind() != WriteKind.COPY_ON_WRITE) {
            return;
        }
        Map<String, NodeInfo> nodes = kit.placement.snapshot().nodes();
        List<CompletableFuture<RayValue>> drops = new ArrayList<>();
        for (ShardReplicas sr : in.getShardsList()) {
            for (String node : sr.getNodesList()) {
                NodeInfo info = nodes.get(node);
                if (info != null) {
                    drops.add(kit.replicas.ask(info, Staging.drop(Staging.global(in.getTable(), sr.getShard(),
                            in.getStagingSuffix())), 10_000).exceptionally(e -> I64Atom.of(-1)));
                }
            }
        }
        drops.forEach(CompletableFuture::join);
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterQueryError("interrupted while waiting for a write in progress", e);
        }
    }
}
