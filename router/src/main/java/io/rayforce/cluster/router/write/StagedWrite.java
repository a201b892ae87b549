package io.rayforce.cluster.router.write;

import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.coordinator.meta.ClusterNaming;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.meta.ClusterNaming.ShardRef;
import io.rayforce.cluster.coordinator.proto.ColumnSpec;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.coordinator.proto.WriteIntent;
import io.rayforce.cluster.coordinator.proto.WriteKind;
import io.rayforce.cluster.coordinator.store.IntentLostException;
import io.rayforce.cluster.coordinator.store.ZooKeeperUnavailableException;
import io.rayforce.cluster.router.QueryOptions;
import io.rayforce.cluster.router.services.ClusterServices;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A copy-on-write change of shards (updates, deletes, upserts; docs/router.md): under the table's
 * write lock and the shards' locks, with an intent recorded first,
 * <ol>
 * <li>every writable replica of every shard builds the shard's new table in a staging global
 *     (the engine's own semantics: the unquoted forms return new tables), changing nothing
 *     anyone reads;</li>
 * <li>a shard no replica staged fails the whole write: the staging globals are dropped and
 *     nothing changed; replicas that failed while another replica of their shard staged are
 *     marked STALE first;</li>
 * <li>the intent is marked COMMITTED (with the replicas that staged each shard): from here
 *     recovery finishes the write;</li>
 * <li>every staged replica swaps its staging table in; one that fails is marked STALE and is
 *     re-copied from a swapped one;</li>
 * <li>the intent is deleted and the write acknowledged.</li>
 * </ol>
 * Each replica holds two copies of a shard between steps 1 and 4.
 */
final class StagedWrite {
    private static final Logger log = LoggerFactory.getLogger(StagedWrite.class);

    private final WriteKit kit;

    StagedWrite(WriteKit kit) {
        this.kit = kit;
    }

    /** The requests (in order, on one connection) that fill a shard's staging global with its new table. */
    interface Stage {
        List<RayValue> requests(int shard, String shardGlobal, String stagingGlobal);
    }

    /** Checks what a replica answered its staging requests with; throws to refuse the write (nothing is changed then). */
    interface StagedCheck {
        void check(int shard, RayValue answer);
    }

    /**
     * Runs the write on every shard of {@code spec}'s table, under the table's write lock and every
     * shard's lock (taken here); {@code prepare} gives the staging requests once the locks are held.
     */
    void runOnEveryShard(TableSpec spec, Supplier<Stage> prepare, StagedCheck check, Supplier<List<ColumnSpec>> added,
            QueryOptions options, String what, String statement) {
        String table = spec.getName();
        List<Integer> shards = new ArrayList<>();
        List<ShardRef> refs = new ArrayList<>();
        for (int s = 0; s < Math.max(1, spec.getShardCount()); s++) {
            shards.add(s);
            refs.add(new ShardRef(table, s));
        }
        ClusterServices services = kit.services(what);
        try (TableWrite write = TableWrite.begin(kit, spec, options, what);
             LockedShards locked = LockedShards.lock(services, kit.placement, refs, WriteKit.timeout(options), what)) {
            locked.table(table, spec.getCreatedEpoch(), what);
            run(write, locked, table, spec.getCreatedEpoch(), shards, prepare.get(), check, added, options, what, statement);
        }
    }

    /** Runs the write on {@code shards} of {@code table} (created at {@code createdEpoch}). */
    void run(TableWrite write, LockedShards locked, String table, long createdEpoch, List<Integer> shards, Stage stage,
            QueryOptions options, String what, String statement) {
        run(write, locked, table, createdEpoch, shards, stage, (shard, answer) -> { }, List::of, options, what, statement);
    }

    /**
     * As above; each staged replica's answer is checked first, and a shard every replica of which
     * refused the staging with an engine error fails the write with that error's code: the
     * statement is computed once, by the staging itself (docs/router.md, Update and delete).
     *
     * @param added the columns the write adds to the table, asked once every answer is checked:
     *              recorded with the commit, and added to the table's spec once every shard
     *              swapped its staging table in ({@link IntentRecovery#swapIn})
     */
    void run(TableWrite write, LockedShards locked, String table, long createdEpoch, List<Integer> shards, Stage stage,
            StagedCheck check, Supplier<List<ColumnSpec>> added, QueryOptions options, String what, String statement) {
        ClusterSnapshot snapshot = locked.snapshot();
        WriteIntent intent = write.record(WriteIntent.newBuilder().setTable(table).setCreatedEpoch(createdEpoch)
                .setKind(WriteKind.COPY_ON_WRITE).setStatement(statement), snapshot, shards);
        String suffix = intent.getStagingSuffix();
        Map<Integer, List<RayValue>> requests = new LinkedHashMap<>();
        for (int shard : shards) {
            requests.put(shard, stage.requests(shard, ClusterNaming.shardGlobal(table, shard), Staging.global(table, shard, suffix)));
        }
        List<ShardOutcome> staged = kit.writeAll(snapshot, table, requests, options);
        for (ShardOutcome o : staged) {
            String code = o.anyApplied() || o.replicas().isEmpty() ? null : engineCode(o.replicas().get(0));
            if (code != null && o.replicas().stream().allMatch(r -> code.equals(engineCode(r)))) {
                abort(write, snapshot, table, shards, suffix, options);
                throw new io.rayforce.cluster.client.RayforceEvaluationError(code, what + ": the engine refused it on " + o.name()
                        + " (" + o.replicas().get(0).failure() + "); nothing was changed");
            }
        }
        try {
            for (ShardOutcome o : staged) {
                for (ReplicaOutcome r : o.applied()) {
                    check.check(o.shard(), r.answer());
                }
            }
        } catch (RuntimeException e) {
            abort(write, snapshot, table, shards, suffix, options);
            throw e;
        }
        Acknowledgement.Verdict verdict = kit.acknowledgement(what).settle(snapshot.epoch(), staged);
        if (!verdict.acknowledged()) {
            abort(write, snapshot, table, shards, suffix, options);
            throw new WriteFailedError(what + " failed: " + verdict.reasons() + "; nothing was changed");
        }
        Map<Integer, List<String>> stagedOn = new LinkedHashMap<>();
        for (ShardOutcome o : staged) {
            stagedOn.put(o.shard(), o.applied().stream().map(ReplicaOutcome::nodeId).toList());
        }
        WriteIntent committed;
        try {
            committed = write.commit(stagedOn, added.get());
        } catch (IntentLostException e) {
            // the commit did not happen, and recovery (which owns the intent now) undoes the write
            abort(write, snapshot, table, shards, suffix, options);
            throw new WriteFailedError(what + " failed: this router lost its ZooKeeper session before the write was "
                    + "committed (" + e.getMessage() + "); nothing was changed");
        } catch (ZooKeeperUnavailableException e) {
            // the commit may or may not have been stored: recovery decides from what is stored
            write.abandon();
            throw new WriteFailedError(what + ": it is not known whether the write was committed (" + e.getMessage()
                    + "); the next read or write of " + table + " finishes or undoes it");
        }
        List<String> problems = kit.recovery.swapIn(snapshot, committed, options, what);
        if (!problems.isEmpty()) {
            write.abandon();
            throw new WriteFailedError(what + ": the write is committed but not yet on every shard: " + String.join("; ", problems)
                    + "; the next read or write of " + table + " finishes it");
        }
        try {
            write.complete();
        } catch (IntentLostException e) {
            // committed, so recovery finishes it rather than undoing it
            log.warn("{}: the intent was recovered by another router after it was committed: {}", what, e.getMessage());
        }
    }

    /** The engine's error code a replica refused a request with, or null when it failed otherwise. */
    static String engineCode(ReplicaOutcome r) {
        String f = r.failure();
        if (f == null || !f.startsWith("engine error ")) {
            return null;
        }
        String rest = f.substring("engine error ".length());
        int sp = rest.indexOf(' ');
        return sp < 0 ? rest : rest.substring(0, sp);
    }

    /** Drops the staging tables and deletes the intent (it stays, for recovery, if that fails). */
    private void abort(TableWrite write, ClusterSnapshot snapshot, String table, List<Integer> shards, String suffix,
            QueryOptions options) {
        try {
            kit.recovery.dropStaging(snapshot, table, new ArrayList<>(shards), suffix, options);
            write.complete();
        } catch (RuntimeException e) {
            log.warn("undoing a failed write of {}: {}; left to recovery", table, e.toString());
            write.abandon();
        }
    }
}
