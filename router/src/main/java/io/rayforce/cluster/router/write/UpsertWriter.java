package io.rayforce.cluster.router.write;

import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.query.Call;
import io.rayforce.cluster.client.query.Column;
import io.rayforce.cluster.client.query.Expr;
import io.rayforce.cluster.client.query.Literal;
import io.rayforce.cluster.client.query.Named;
import io.rayforce.cluster.client.query.SelectQuery;
import io.rayforce.cluster.client.query.Table;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.coordinator.meta.ClusterNaming.ShardRef;
import io.rayforce.cluster.coordinator.meta.ClusterNaming;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.router.QueryOptions;
import io.rayforce.cluster.router.exec.ClusterQueryError;
import io.rayforce.cluster.router.exec.UnsupportedQueryError;
import io.rayforce.cluster.router.planner.Schemas;
import io.rayforce.cluster.router.services.ClusterServices;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code (upsert 't K data)}: rows whose key (the K leading columns, or the one column named K)
 * matches an existing row update it, the others are appended. The shard key must be a key column, so equal keys always meet on one
 * shard. Under the table's write lock and the shards' locks the router asks which keys exist;
 * rows with an existing key go to the shard's own {@code upsert} without the sequence column (the
 * row keeps its place and its {@code __seq}; duplicates in the batch leave the last values, as on
 * one server); the other rows are folded by the scratch engine's {@code upsert} into an empty
 * table (one row per new key, at its first appearance, with the last values and nulls for columns
 * not given) and then appended with new sequence numbers in that order. Both go to a staging copy
 * of each shard, swapped in once every shard is staged ({@link StagedWrite}).
 */
final class UpsertWriter {
    private final WriteKit kit;

    UpsertWriter(WriteKit kit) {
        this.kit = kit;
    }

    /** An upsert's key columns, and the key argument the engines get (their count, or the one column's name). */
    record Key(List<String> columns, RayValue engineArg) {
    }

    /**
     * @param keyColumns the number of leading key columns, when {@code keyName} is null
     * @param keyName    the one key column, by name (the engine's {@code (upsert 't 'col data)})
     */
    RayValue upsert(String table, long keyColumns, String keyName, RayValue data, QueryOptions options) {
        String what = "upsert into " + table;
        ClusterSnapshot snapshot = kit.placement.snapshot();
        TableSpec spec = snapshot.table(table).orElseThrow().getSpec();
        List<String> columns = Schemas.columnNames(spec);
        Key key;
        if (keyName != null) {
            if (!columns.contains(keyName)) {
                throw new RayforceEvaluationError("domain", what + ": the table has no column " + keyName + " to key on");
            }
            key = new Key(List.of(keyName), Symbol.of(keyName));
        } else {
            if (keyColumns < 1 || keyColumns > columns.size()) {
                throw new RayforceEvaluationError("domain", what + ": the number of key columns must be 1.." + columns.size()
                        + ", got " + keyColumns);
            }
            key = new Key(columns.subList(0, (int) keyColumns), I64Atom.of(keyColumns));
        }
        List<String> keys = key.columns();
        if (!spec.getReplicatedToAll() && spec.getShardCount() > 1 && !keys.contains(spec.getShardKey())) {
            throw new UnsupportedQueryError(what + ": the shard key " + spec.getShardKey() + " must be one of the "
                    + keys.size() + " key column(s) " + keys + ", so that rows with equal keys are on one shard");
        }
        for (String k : keys) {
            if (!SpecTypes.shardable(Schemas.columnType(spec, k))) {
                throw new UnsupportedQueryError(what + ": key column " + k + " is a list column; upsert keys must be atoms");
            }
        }
        RayValue value = kit.normalizer.evaluate(data, options);
        List<String> given = givenColumns(value, columns, keys, what);
        RayTable rows = kit.normalizer.normalize(spec, given, value, kit.context(snapshot, options), what);
        if (rows.rowCount() == 0) {
            return Symbol.computed(table);
        }
        write(spec, key, rows, options, what);
        return Symbol.computed(table); // the engine answers an in-place write with its table's name, unquoted
    }

    /** The columns the data gives: all of them for positional values, else the names in the dict or table. */
    private static List<String> givenColumns(RayValue value, List<String> columns, List<String> keys, String what) {
        List<String> names;
        if (value instanceof RayDict d && d.keys() instanceof SymbolVector s) {
            names = s.toList();
        } else if (value instanceof RayTable t) {
            names = t.columnNames();
        } else {
            return columns;
        }
        for (String n : names) {
            if (!columns.contains(n)) {
                throw new RayforceEvaluationError("value", what + ": the table has no column " + n);
            }
        }
        for (String key : keys) {
            if (!names.contains(key)) {
                throw new RayforceEvaluationError("value", what + ": the data must give the key column " + key);
            }
        }
        if (new HashSet<>(names).size() != names.size()) {
            throw new RayforceEvaluationError("domain", what + ": a column is given twice in " + names);
        }
        return names;
    }

    /** An upsert's rows split by whether their key exists: the updates (no {@code __seq}) and the folded new rows. */
    record Split(RayTable updates, RayTable fresh) {
    }

    /**
     * Which rows of an upsert update existing keys and which are new, asked of one LIVE replica of
     * each shard at {@code snapshot} (the caller keeps writes to those shards away meanwhile); the new
     * rows folded as one server appends them. Either part is null when empty.
     */
    Split split(ClusterSnapshot snapshot, TableSpec spec, Key k, RayTable rows, List<ShardParts.Part> parts,
            QueryOptions options, String what) {
        List<String> keys = k.columns();
        boolean[] exists = existing(snapshot, spec.getName(), keys, rows, parts, options);
        List<Integer> updates = new ArrayList<>();
        List<Integer> appends = new ArrayList<>();
        for (int i = 0; i < exists.length; i++) {
            (exists[i] ? updates : appends).add(i);
        }
        return new Split(updates.isEmpty() ? null : rows.gather(toArray(updates)),
                appends.isEmpty() ? null : newRows(spec, k, rows.gather(toArray(appends)), snapshot, options, what));
    }

    private void write(TableSpec spec, Key k, RayTable rows, QueryOptions options, String what) {
        String table = spec.getName();
        List<String> keys = k.columns();
        List<ShardParts.Part> parts = ShardParts.split(spec, rows);
        if (parts.size() == 1) {
            // one shard: through this router's write lease, in one step (docs/router.md, Write leases)
            kit.leases.of(table).upsert(spec, k, rows, this, options, what);
            return;
        }
        List<ShardRef> refs = parts.stream().map(p -> new ShardRef(table, p.shard())).toList();
        ClusterServices services = kit.services(what);
        try (TableWrite write = TableWrite.begin(kit, spec, options, what);
             LockedShards locked = LockedShards.lock(services, kit.placement, refs, WriteKit.timeout(options), what)) {
            locked.table(table, spec.getCreatedEpoch(), what);
            ClusterSnapshot snapshot = locked.snapshot();
            boolean[] exists = existing(snapshot, table, keys, rows, parts, options);
            List<Integer> updates = new ArrayList<>();
            List<Integer> appends = new ArrayList<>();
            for (int i = 0; i < exists.length; i++) {
                (exists[i] ? updates : appends).add(i);
            }
            // per shard: the rows updating existing keys, then the new rows (with new sequence numbers)
            Map<Integer, List<RayTable>> updated = new TreeMap<>();
            Map<Integer, List<RayTable>> appended = new TreeMap<>();
            if (!updates.isEmpty()) {
                for (ShardParts.Part p : ShardParts.split(spec, rows.gather(toArray(updates)))) {
                    updated.put(p.shard(), Chunks.of(p.rows(), what));
                }
            }
            if (!appends.isEmpty()) {
                RayTable fresh = newRows(spec, k, rows.gather(toArray(appends)), snapshot, options, what);
                long first = services.reserve(table, fresh.rowCount(), what);
                RayTable withSeq = ShardParts.withSequence(fresh, ShardParts.range(first, fresh.rowCount()));
                for (ShardParts.Part p : ShardParts.split(spec, withSeq)) {
                    appended.put(p.shard(), Chunks.of(p.rows(), what));
                }
            }
            List<Integer> shards = parts.stream().map(ShardParts.Part::shard).toList();
            // copy-on-write: the staging copy of the shard gets the shard's own upserts; the new keys (none of which
            // exists) are upserted too, which appends them as one server's upsert does (an insert of a table would
            // mark the symbol columns with the has-nulls attribute, which one server's upsert does not)
            new StagedWrite(kit).run(write, locked, table, spec.getCreatedEpoch(), shards, (shard, global, staging) -> {
                List<RayValue> reqs = new ArrayList<>();
                reqs.add(Staging.stage(staging, Name.of(global)));
                for (RayTable chunk : updated.getOrDefault(shard, List.of())) {
                    reqs.add(InsertWriter.countOf(RayList.of(Name.of("upsert"), Symbol.of(staging), k.engineArg(), chunk)));
                }
                for (RayTable chunk : appended.getOrDefault(shard, List.of())) {
                    reqs.add(InsertWriter.countOf(RayList.of(Name.of("upsert"), Symbol.of(staging), k.engineArg(), chunk)));
                }
                return reqs;
            }, options, what, "upsert");
        }
    }

    /** For each row: does a row with its key exist (asked of one LIVE replica of its shard, under the lock)? */
    private boolean[] existing(ClusterSnapshot snapshot, String table, List<String> keys, RayTable rows,
            List<ShardParts.Part> parts, QueryOptions options) {
        Map<Integer, RayValue> requests = new LinkedHashMap<>();
        List<Integer> shards = new ArrayList<>();
        for (ShardParts.Part p : parts) {
            List<Named> proj = new ArrayList<>();
            List<Expr> match = new ArrayList<>();
            for (String key : keys) {
                proj.add(Column.of(key).named());
                Vector values = p.rows().column(key);
                Expr in = new Call("in", List.of(Column.of(key), new Literal(values)));
                // in never matches a null, but upsert matches null keys
                match.add(values.hasNulls() ? new Call("or", List.of(in, new Call("nil?", List.of(Column.of(key))))) : in);
            }
            Expr where = match.size() == 1 ? match.get(0) : new Call("and", match);
            requests.put(p.shard(), new SelectQuery(Table.of(ClusterNaming.shardGlobal(table, p.shard())), proj, where,
                    List.of(), List.of(), null).ipc());
            shards.add(p.shard());
        }
        List<RayValue> answers = kit.readEach(snapshot, table, shards, requests, options);
        boolean[] exists = new boolean[rows.rowCount()];
        for (int i = 0; i < parts.size(); i++) {
            if (!(answers.get(i) instanceof RayTable found)) {
                throw new ClusterQueryError("upsert into " + table + ": shard " + parts.get(i).shard()
                        + " answered the key lookup with " + DataNormalizer.describe(answers.get(i)));
            }
            Set<List<RayValue>> present = new HashSet<>();
            for (int r = 0; r < found.rowCount(); r++) {
                present.add(key(found, keys, r));
            }
            ShardParts.Part p = parts.get(i);
            for (int r = 0; r < p.positions().length; r++) {
                exists[p.positions()[r]] = present.contains(key(p.rows(), keys, r));
            }
        }
        return exists;
    }

    private static List<RayValue> key(RayTable t, List<String> keys, int row) {
        List<RayValue> out = new ArrayList<>(keys.size());
        for (String k : keys) {
            out.add(t.column(k).at(row));
        }
        return out;
    }

    /**
     * The rows with new keys as one server appends them: {@code (upsert <empty table> K rows)} on
     * the scratch engine gives one row per key at its first appearance with its last values, and
     * nulls in the columns the data left out.
     */
    private RayTable newRows(TableSpec spec, Key k, RayTable rows, ClusterSnapshot snapshot, QueryOptions options, String what) {
        List<String> columns = Schemas.columnNames(spec);
        RayTable empty = Schemas.emptyTable(spec, columns);
        RayValue result = kit.scratch.evaluate(kit.context(snapshot, options), Map.of("rows", rows),
                RayList.of(DataNormalizer.lambda("upsert", "t", "k", "d"), empty, k.engineArg(), Name.of("rows")));
        if (!(result instanceof RayTable t) || !DataNormalizer.sameShape(t, empty)) {
            throw new ClusterQueryError(what + ": folding the new rows gave " + DataNormalizer.describe(result)
                    + ", not a table of the columns " + DataNormalizer.describe(empty));
        }
        return t;
    }

    private static int[] toArray(List<Integer> l) {
        return l.stream().mapToInt(Integer::intValue).toArray();
    }
}
