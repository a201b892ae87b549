package io.rayforce.cluster.router.write;

import io.rayforce.cluster.client.query.Queries;
import io.rayforce.cluster.client.query.UpdateQuery;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.coordinator.meta.ClusterNaming;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.ColumnSpec;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.router.QueryOptions;
import io.rayforce.cluster.router.exec.ClusterQueryError;
import io.rayforce.cluster.router.exec.UnsupportedQueryError;
import io.rayforce.cluster.router.statement.Statements;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An update that assigns the shard key of a sharded table (docs/router.md, Update and delete):
 * its rows move between shards, in one copy-on-write under the table's write lock. Once its
 * aggregates are written in ({@link AggregateValues}), one LIVE replica of each shard is asked for
 * the rows the {@code where:} selects (with their {@code __seq}); the scratch engine applies the
 * assignments to them; the router sends each changed row to the shard of its new key. Every
 * replica of every shard then stages the shard without the selected rows, with the changed rows
 * that belong to it inserted and the whole sorted by {@code __seq} (a shard's rows stay in
 * insertion order, and a changed row keeps its place in the table's order, as on one server).
 */
final class ShardKeyUpdate {
    private final WriteKit kit;
    private final AggregateValues aggregates;

    ShardKeyUpdate(WriteKit kit, AggregateValues aggregates) {
        this.kit = kit;
        this.aggregates = aggregates;
    }

    /** Under the table's write lock and its shards' locks: the staging requests of every shard. */
    StagedWrite.Stage stage(UpdateQuery q, RayDict dict, TableSpec spec, ClusterSnapshot snapshot, QueryOptions options,
            String what) {
        String table = spec.getName();
        RayDict d = aggregates.substitute(spec, dict, null, snapshot, options, what);
        if (d == null) {
            // no rows: nothing moves
            return (shard, global, staging) -> List.of(Staging.stage(staging, Name.of(global)));
        }
        UpdateQuery rewritten = d == dict ? q : (UpdateQuery) Queries.parse(RayList.of(Name.of("update"), d)).orElseThrow();
        if (rewritten.assignments().stream().anyMatch(a -> !MutationRules.rowVectors(a.expr()).isEmpty())) {
            throw new UnsupportedQueryError(what + ": assigning the shard key with a vector of per-row values is not "
                    + "supported; update the rows by their key instead");
        }
        MutationRules.checkUpdate(rewritten, spec, snapshot, true, true);
        RayValue where = Statements.entry(d, "where");
        if (where == null) {
            // every row: (== __seq __seq) holds for each
            where = RayList.of(Name.of("=="), Name.of(ClusterNaming.SEQ_COLUMN), Name.of(ClusterNaming.SEQ_COLUMN));
        }
        List<Integer> shards = new ArrayList<>();
        Map<Integer, RayValue> requests = new LinkedHashMap<>();
        for (int s = 0; s < spec.getShardCount(); s++) {
            shards.add(s);
            requests.put(s, RayList.of(Name.of("select"), new RayDict(SymbolVector.of(List.of("from", "where")),
                    RayList.of(Name.of(ClusterNaming.shardGlobal(table, s)), where))));
        }
        List<RayValue> found = kit.readEach(snapshot, table, shards, requests, options);
        // the assignments alone, over the selected rows, on the scratch engine
        List<String> keys = new ArrayList<>();
        List<RayValue> values = new ArrayList<>();
        SymbolVector dk = (SymbolVector) d.keys();
        for (int i = 0; i < dk.length(); i++) {
            if (!dk.get(i).equals("where")) {
                keys.add(dk.get(i));
                values.add(i < ((io.rayforce.cluster.client.value.Vector) d.values()).length()
                        ? ((io.rayforce.cluster.client.value.Vector) d.values()).at(i) : null);
            }
        }
        Map<Integer, List<RayTable>> moved = new TreeMap<>();
        for (int i = 0; i < found.size(); i++) {
            if (!(found.get(i) instanceof RayTable rows)) {
                throw new ClusterQueryError(what + ": shard " + i + " answered the selection with " + DataNormalizer.describe(found.get(i)));
            }
            if (rows.rowCount() == 0) {
                continue;
            }
            List<RayValue> vals = new ArrayList<>(values);
            vals.set(keys.indexOf("from"), Name.of("rows"));
            RayValue changed = kit.scratch.evaluate(kit.context(snapshot, options), Map.of("rows", rows),
                    RayList.of(Name.of("update"), new RayDict(SymbolVector.of(keys), RayList.of(vals))));
            if (!(changed instanceof RayTable t)) {
                throw new ClusterQueryError(what + ": the changed rows came back as " + DataNormalizer.describe(changed));
            }
            checkTypes(spec, t, what);
            for (ShardParts.Part p : ShardParts.split(spec, t)) {
                moved.computeIfAbsent(p.shard(), x -> new ArrayList<>()).addAll(Chunks.of(p.rows(), what));
            }
        }
        RayValue selected = where;
        return (shard, global, staging) -> {
            List<RayValue> reqs = new ArrayList<>();
            reqs.add(Staging.stage(staging, RayList.of(Name.of("delete"), new RayDict(SymbolVector.of(List.of("from", "where")),
                    RayList.of(Name.of(global), selected)))));
            for (RayTable chunk : moved.getOrDefault(shard, List.of())) {
                reqs.add(InsertWriter.countOf(RayList.of(Name.of("insert"), Symbol.of(staging), chunk)));
            }
            reqs.add(Staging.stage(staging, RayList.of(Name.of("xasc"), Name.of(staging), Symbol.of(ClusterNaming.SEQ_COLUMN))));
            return reqs;
        };
    }

    /** The changed rows must keep the table's column types (a cluster table keeps the types it was created with). */
    private static void checkTypes(TableSpec spec, RayTable t, String what) {
        for (ColumnSpec c : spec.getColumnsList()) {
            String got = SpecTypes.of(t.column(c.getName()));
            if (!got.equals(c.getType())) {
                throw new UnsupportedQueryError(what + ": it would change column " + c.getName() + " from " + c.getType() + " to "
                        + got + "; a cluster table keeps the column types it was created with (cast the value); nothing was changed");
            }
        }
    }
}
