package io.rayforce.cluster.router.write;

import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.coordinator.meta.ClusterNaming.ShardRef;
import io.rayforce.cluster.coordinator.meta.ClusterNaming;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.coordinator.proto.WriteIntent;
import io.rayforce.cluster.coordinator.proto.WriteKind;
import io.rayforce.cluster.coordinator.store.IntentLostException;
import io.rayforce.cluster.router.QueryOptions;
import io.rayforce.cluster.router.planner.Schemas;
import io.rayforce.cluster.router.services.ClusterServices;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code (insert 't data)}: the rows are normalized as one server would take them and handed to
 * this router's write lease of the table (docs/router.md, Write leases). A new table's first load
 * is written alone: split by shard key, and appended under the table's write lock and the shards' locks with consecutive
 * row sequence numbers (taken under the locks, so sequence order is insertion order) to every
 * writable replica, with a write intent recording the range (a router that dies mid-insert
 * leaves it to recovery, which removes the range). When some shard could not be written at all,
 * the rows already written are removed again (by their sequence numbers) and the insert fails
 * naming the shard.
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
        appendLeased(spec, rows, options, what);
        return Symbol.computed(table); // the engine answers an in-place write with its table's name, unquoted
    }

    /**
     * How rows reach a shard, so that its columns end as one server's would: the engine marks a
     * symbol column with the has-nulls attribute ({@code 40}, sticky) when rows are appended as a
     * table or as vectors, but not when one row is appended as atoms, nor when a table is set whole.
     */
    enum Shape {
        /** A table's first rows (it was just created, its shards are empty): each shard is set to them whole. */
        NEW_TABLE,
        /** One row, which one server appends as atoms. */
        ROW,
        /** Rows appended as a table. */
        ROWS
    }

    /**
     * Appends rows that already have exactly the table's columns and types to a table just
     * created (its first load), with new sequence numbers in row order, under the table's write
     * lock and the shards' locks.
     */
    void append(TableSpec spec, RayTable rows, QueryOptions options, String what) {
        append(spec, rows, options, what, Shape.NEW_TABLE);
    }

    /**
     * Appends rows that already have exactly the table's columns and types, with new sequence
     * numbers in row order, through this router's write lease of the table (docs/router.md, Write
     * leases): inserts that arrive together are written together.
     */
    private void appendLeased(TableSpec spec, RayTable rows, QueryOptions options, String what) {
        if (rows.rowCount() == 0) {
            return;
        }
        kit.services(what);
        kit.leases.of(spec.getName()).append(spec, rows, options, what);
    }

    /**
     * Appends rows as one write of its own, with new sequence numbers in row order, under the
     * table's write lock and the shards' locks, with a write intent of its range (a new table's
     * first load; inserts go through the write lease).
     */
    void append(TableSpec spec, RayTable rows, QueryOptions options, String what, Shape shape) {
        int n = rows.rowCount();
        if (n == 0) {
            return;
        }
        String table = spec.getName();
        List<ShardParts.Part> parts = ShardParts.split(spec, rows);
        List<ShardRef> refs = parts.stream().map(p -> new ShardRef(table, p.shard())).toList();
        ClusterServices services = kit.services(what);
        try (TableWrite write = TableWrite.begin(kit, spec, options, what);
             LockedShards locked = LockedShards.lock(services, kit.placement, refs, WriteKit.timeout(options), what)) {
            locked.table(table, spec.getCreatedEpoch(), what);
            long first = services.reserve(table, n, what);
            Map<Integer, RayTable> withSeq = ShardParts.sequenced(parts, first);
            appendRecorded(write, locked, spec, withSeq, first, first + n - 1, options, what, "insert", shape);
        }
    }

    /**
     * Appends each shard's rows (with their {@code __seq}, all within [lo, hi]) under the table
     * write and shard locks the caller holds: records the write's intent, writes every writable
     * replica, and settles the outcome (failed replicas of shards that applied are reported).
     * When the write is not acknowledged its rows are removed again from the shards that applied
     * (or may have applied) it, and it fails saying so; what could not be removed is left to
     * recovery (the intent stays).
     */
    void appendRecorded(TableWrite write, LockedShards locked, TableSpec spec, Map<Integer, RayTable> parts, long lo, long hi,
            QueryOptions options, String what, String statement, Shape shape) {
        String table = spec.getName();
        ClusterSnapshot snapshot = locked.snapshot();
        write.record(WriteIntent.newBuilder().setTable(table).setCreatedEpoch(spec.getCreatedEpoch()).setKind(WriteKind.APPEND)
                .setStatement(statement).setSeqFirst(lo).setSeqLast(hi), snapshot, parts.keySet());
        Acknowledgement.Verdict verdict = write(locked, table, parts, options, what, shape);
        if (!verdict.acknowledged()) {
            throw new WriteFailedError(what + " failed: " + verdict.reasons() + "; " + rollback(write, snapshot, table, verdict,
                    lo, hi, options, what));
        }
        try {
            write.complete();
        } catch (IntentLostException e) {
            // recovery owns the intent now and removes the rows; so does this (the range is this write's own)
            kit.recovery.removeRange(snapshot, table, parts.keySet(), lo, hi, options, what);
            throw new WriteFailedError(what + " failed: this router lost its ZooKeeper session during the write, so the "
                    + "write is undone (" + e.getMessage() + ")");
        }
    }

    /**
     * Appends each shard's rows (with their {@code __seq}) to its writable replicas under locks
     * the caller holds, and settles the outcome (failed replicas of shards that applied are
     * reported).
     */
    Acknowledgement.Verdict write(LockedShards locked, String table, Map<Integer, RayTable> parts, QueryOptions options,
            String what, Shape shape) {
        return write(locked.snapshot(), table, parts, options, what, shape);
    }

    /** As above, to the writable replicas at {@code snapshot} (taken under the locks the caller holds). */
    Acknowledgement.Verdict write(ClusterSnapshot snapshot, String table, Map<Integer, RayTable> parts, QueryOptions options,
            String what, Shape shape) {
        Map<Integer, List<RayValue>> requests = new LinkedHashMap<>();
        parts.forEach((shard, rows) -> {
            String global = ClusterNaming.shardGlobal(table, shard);
            List<RayValue> reqs = new ArrayList<>();
            if (shape == Shape.ROW && rows.rowCount() == 1) {
                reqs.add(countOf(RayList.of(Name.of("insert"), Symbol.of(global), AppendForms.row(rows, 0))));
            } else {
                for (RayTable chunk : Chunks.of(rows, what)) {
                    reqs.add(shape == Shape.NEW_TABLE && reqs.isEmpty()
                            // (concat <the empty shard> chunk): the shard as one server's table set whole
                            ? countOf(RayList.of(Name.of("set"), Symbol.of(global),
                                    RayList.of(Name.of("concat"), Name.of(global), chunk)))
                            : countOf(RayList.of(Name.of("insert"), Symbol.of(global), chunk)));
                }
            }
            requests.put(shard, reqs);
        });
        List<ShardOutcome> outcomes = kit.writeAll(snapshot, table, requests, options);
        return kit.acknowledgement(what).settle(snapshot.epoch(), outcomes);
    }

    /**
     * Removes the rows of sequence numbers [lo, hi] from the shards that applied them, or whose
     * connection broke after the request was sent; deletes the intent when that worked, else
     * leaves it to recovery. Says how it went.
     */
    private String rollback(TableWrite write, ClusterSnapshot snapshot, String table, Acknowledgement.Verdict verdict, long lo,
            long hi, QueryOptions options, String what) {
        List<Integer> shards = new ArrayList<>(verdict.appliedShards());
        for (ShardOutcome s : verdict.notApplied()) {
            if (s.replicas().stream().anyMatch(ReplicaOutcome::uncertain)) {
                shards.add(s.shard());
            }
        }
        if (shards.isEmpty()) {
            completeUndone(write);
            return "nothing was written";
        }
        return undo(write, snapshot, table, shards, lo, hi, options, what);
    }

    /**
     * Removes the rows of sequence numbers [lo, hi] from {@code shards}; deletes the intent when
     * that worked, else leaves it to recovery. Says how it went.
     */
    String undo(TableWrite write, ClusterSnapshot snapshot, String table, List<Integer> shards, long lo, long hi,
            QueryOptions options, String what) {
        List<String> left = kit.recovery.removeRange(snapshot, table, shards, lo, hi, options, what);
        if (!left.isEmpty()) {
            write.abandon();
            return "rows remain where they could not be removed: " + String.join("; ", left) + "; the next read or write of "
                    + table + " removes them before it runs";
        }
        completeUndone(write);
        return "the rows written to shards " + shards + " were removed again, so nothing was written";
    }

    /** Deletes the intent of a write that was undone (when recovery took it over meanwhile, it undoes it too). */
    private static void completeUndone(TableWrite write) {
        try {
            write.complete();
        } catch (IntentLostException e) {
            // recovery removes the same rows
        }
    }

    static RayValue countOf(RayValue request) {
        return RayList.of(Name.of("count"), request);
    }
}
