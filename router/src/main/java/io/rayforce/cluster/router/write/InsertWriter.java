package io.rayforce.cluster.router.write;

import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.coordinator.meta.ClusterNaming;
import io.rayforce.cluster.coordinator.meta.ClusterNaming.ShardRef;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.router.QueryOptions;
import io.rayforce.cluster.router.planner.Schemas;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code (insert 't data)}: the rows are normalized as one server would take them, split by
 * shard key, and appended under the shards' locks with consecutive row sequence numbers (taken
 * under the locks, so sequence order is insertion order) to every writable replica. When some
 * shard could not be written at all, the rows already written are removed again (by their
 * sequence numbers) and the insert fails naming the shard.
 */
final class InsertWriter {
    private final WriteKit kit;

    InsertWriter(WriteKit kit) {
        this.kit = kit;
    }

    /** Runs the insert; answers the table's name as a symbol, as one server does. */
    RayValue insert(String table, RayValue data, QueryOptions options) {
        String what = "insert into " + table;
        ClusterSnapshot snapshot = kit.placement.snapshot();
        TableSpec spec = snapshot.table(table).orElseThrow().getSpec();
        RayValue value = kit.normalizer.evaluate(data, options);
        RayTable rows = kit.normalizer.normalize(spec, Schemas.columnNames(spec), value, kit.context(snapshot, options), what);
        append(spec, rows, options, what);
        return Symbol.of(table);
    }

    /**
     * Appends rows that already have exactly the table's columns and types, with new sequence
     * numbers in row order.
     */
    void append(TableSpec spec, RayTable rows, QueryOptions options, String what) {
        int n = rows.rowCount();
        if (n == 0) {
            return;
        }
        String table = spec.getName();
        List<ShardParts.Part> parts = ShardParts.split(spec, rows);
        List<ShardRef> refs = parts.stream().map(p -> new ShardRef(table, p.shard())).toList();
        WriteServices services = kit.services(what);
        try (LockedShards locked = LockedShards.lock(services, kit.placement, refs, WriteKit.timeout(options), what)) {
            locked.table(table, spec.getCreatedEpoch(), what);
            long first = services.reserve(table, n, what);
            long[] seq = ShardParts.range(first, n);
            Map<Integer, RayTable> withSeq = new LinkedHashMap<>();
            for (ShardParts.Part p : parts) {
                long[] partSeq = new long[p.positions().length];
                for (int i = 0; i < partSeq.length; i++) {
                    partSeq[i] = seq[p.positions()[i]];
                }
                withSeq.put(p.shard(), ShardParts.withSequence(p.rows(), partSeq));
            }
            Acknowledgement ack = kit.acknowledgement(what);
            Acknowledgement.Verdict verdict = write(locked, table, withSeq, options, what);
            if (!verdict.acknowledged()) {
                String undo = rollback(locked.snapshot(), table, verdict.applied(), first, first + n - 1, options, ack);
                throw new WriteFailedError(what + " failed: " + verdict.reasons() + "; " + undo + verdict.uncertainty());
            }
        }
    }

    /**
     * Appends each shard's rows (with their {@code __seq}) to its writable replicas under locks
     * the caller holds, and settles the outcome (failed replicas of shards that applied are
     * reported).
     */
    Acknowledgement.Verdict write(LockedShards locked, String table, Map<Integer, RayTable> parts, QueryOptions options,
            String what) {
        Map<Integer, List<RayValue>> requests = new LinkedHashMap<>();
        parts.forEach((shard, rows) -> {
            String global = ClusterNaming.shardGlobal(table, shard);
            List<RayValue> reqs = new ArrayList<>();
            for (RayTable chunk : Chunks.of(rows, what)) {
                reqs.add(countOf(RayList.of(Name.of("insert"), Symbol.of(global), chunk)));
            }
            requests.put(shard, reqs);
        });
        List<ShardOutcome> outcomes = kit.writeAll(locked.snapshot(), table, requests, options);
        return kit.acknowledgement(what).settle(locked.snapshot().epoch(), outcomes);
    }

    /** Removes the rows of sequence numbers [lo, hi] from the replicas that applied them; says how that went. */
    private String rollback(ClusterSnapshot snapshot, String table, List<ShardOutcome> applied, long lo, long hi,
            QueryOptions options, Acknowledgement ack) {
        if (applied.isEmpty()) {
            return "nothing was written";
        }
        Map<Integer, List<RayValue>> requests = new LinkedHashMap<>();
        for (ShardOutcome s : applied) {
            RayValue where = RayList.of(Name.of("within"), Name.of(ClusterNaming.SEQ_COLUMN), I64Vector.of(lo, hi));
            RayValue delete = RayList.of(Name.of("delete"), new RayDict(SymbolVector.of("from", "where"),
                    RayList.of(Symbol.of(ClusterNaming.shardGlobal(table, s.shard())), where)));
            requests.put(s.shard(), List.of(delete));
        }
        List<ShardOutcome> undone = kit.writeAll(snapshot, table, requests, options);
        List<String> left = new ArrayList<>();
        for (ShardOutcome u : undone) {
            for (ReplicaOutcome r : u.failed()) {
                String problem = ack.report(u, r, snapshot.epoch());
                if (problem != null) {
                    left.add(problem);
                }
            }
        }
        return left.isEmpty() ? "the rows written to shards " + applied.stream().map(ShardOutcome::shard).toList()
                + " were removed again, so nothing was written"
                : "rows remain where they could not be removed: " + String.join("; ", left);
    }

    static RayValue countOf(RayValue request) {
        return RayList.of(Name.of("count"), request);
    }
}
