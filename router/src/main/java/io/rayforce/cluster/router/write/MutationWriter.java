package io.rayforce.cluster.router.write;

import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.query.Column;
import io.rayforce.cluster.client.query.DeleteQuery;
import io.rayforce.cluster.client.query.Expr;
import io.rayforce.cluster.client.query.Queries;
import io.rayforce.cluster.client.query.UpdateQuery;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayType;
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
import io.rayforce.cluster.router.planner.Schemas;
import io.rayforce.cluster.router.statement.Statements;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * {@code update} and {@code delete}: checked by {@link MutationRules}, then, under the table's
 * write lock and the locks of every shard of the table, first tried on one replica of each shard
 * as a copy (nothing changes: an engine error fails the whole statement before any shard applied
 * it, and an update that would change a column's type, as the engine does on an empty table, is
 * refused), then applied copy-on-write to every writable replica of every shard
 * ({@link StagedWrite}): each builds the shard's new table with the unquoted form of the
 * statement into a staging global, and all swap them in once every shard is staged.
 */
final class MutationWriter {
    private final WriteKit kit;
    private final AggregateValues aggregates;
    private final OtherTableValues others;
    private final ShardKeyUpdate moves;

    MutationWriter(WriteKit kit) {
        this.kit = kit;
        this.aggregates = new AggregateValues(kit);
        this.others = new OtherTableValues(kit);
        this.moves = new ShardKeyUpdate(kit, aggregates);
    }

    RayValue update(UpdateQuery given, RayDict givenDict, QueryOptions options) {
        String table = given.table().name();
        String what = "update of " + table;
        ClusterSnapshot snapshot = kit.placement.snapshot();
        TableSpec spec = snapshot.table(table).orElseThrow().getSpec();
        RayDict dict = others.inline(spec, givenDict, snapshot, options);
        UpdateQuery q = dict == givenDict ? given : (UpdateQuery) Queries.parse(RayList.of(Name.of("update"), dict)).orElseThrow();
        MutationRules.checkUpdate(q, spec, snapshot, false, true);
        boolean perShard = MutationRules.allTogether(spec) || MutationRules.groupedByShard(q, spec);
        if (!perShard && q.by().size() > 1) {
            // verified on the engine: an update groups by one column only
            throw new RayforceEvaluationError("type", what + ": by: must be one column");
        }
        Column by = q.by().size() == 1 && q.by().get(0).expr() instanceof Column c ? c : null;
        List<String> adding = MutationRules.newColumns(q, spec);
        if (!MutationRules.allTogether(spec) && q.assignments().stream().anyMatch(a -> a.name().equals(spec.getShardKey()))) {
            if (!q.by().isEmpty()) {
                throw new UnsupportedQueryError(what + ": cannot assign the shard key column " + spec.getShardKey()
                        + " with by: (its rows would move between shards by group); update it without by:");
            }
            if (!adding.isEmpty()) {
                throw new UnsupportedQueryError(what + ": cannot add column " + adding.get(0) + " in the update that assigns "
                        + "the shard key column " + spec.getShardKey() + " (its rows move between shards); add it in an update "
                        + "of its own");
            }
            return run(spec, "update", what, options, (shard, answer) -> { }, List::of, () -> moves.stage(q, dict, spec, snapshot,
                    options, what));
        }
        NewColumns added = new NewColumns(spec, adding, what);
        // staged once per replica; the staging answers the new table's column types, checked before the commit
        return run(spec, "update", what, options, added::check, added::specs,
                () -> {
                    IntFunction<RayDict> d = perShard ? s -> dict : rowWise(q, dict, by, spec, snapshot, options, what);
                    return (shard, global, staging) -> List.of(RayList.of(Name.of("do"), RayList.of(Name.of("set"),
                            Symbol.of(staging), added.inOrder(call("update", d.apply(shard), Name.of(global)))),
                            RayList.of(Name.of("map"), Name.of("type"), RayList.of(Name.of("value"), Name.of(staging)))));
                });
    }

    /**
     * The columns an update adds (docs/router.md, Adding columns): the engine appends them after
     * the shard's last column, {@code __seq}, which is put last again; every staged replica must
     * answer the table's column types unchanged followed by one type per new column, the same
     * on every replica, which a created table's column may have. Those types make the new
     * columns' spec, recorded with the commit.
     */
    private static final class NewColumns {
        private final TableSpec spec;
        private final List<String> names;
        private final String what;
        private final List<String> expected;
        private List<String> types;

        NewColumns(TableSpec spec, List<String> names, String what) {
            this.spec = spec;
            this.names = names;
            this.what = what;
            this.expected = engineTypes(spec);
        }

        /** The staging value with the new columns before {@code __seq}: {@code (select {c: c ... __seq: __seq from: v})}. */
        RayValue inOrder(RayValue updated) {
            if (names.isEmpty()) {
                return updated;
            }
            List<String> order = new ArrayList<>(Schemas.columnNames(spec));
            order.addAll(names);
            order.add(ClusterNaming.SEQ_COLUMN);
            List<String> keys = new ArrayList<>(order);
            keys.add("from");
            List<RayValue> values = new ArrayList<>();
            order.forEach(c -> values.add(Name.of(c)));
            values.add(updated);
            return RayList.of(Name.of("select"), new RayDict(SymbolVector.of(keys), RayList.of(values)));
        }

        void check(int shard, RayValue answer) {
            List<String> got = symbols(answer);
            int columns = expected.size() - 1;
            List<String> kept = got;
            if (got != null && got.size() == expected.size() + names.size()) {
                kept = new ArrayList<>(got.subList(0, columns));
                kept.add(got.get(got.size() - 1));
            }
            if (!expected.equals(kept)) {
                throw typeChange(what, spec, expected, kept, answer);
            }
            List<String> added = got.subList(columns, columns + names.size());
            if (types == null) {
                types = List.copyOf(added);
                MutationRules.checkNewColumns(spec, specs(), what, "; nothing was changed");
            } else if (!types.equals(added)) {
                throw new UnsupportedQueryError(what + ": the new columns " + names + " would be of types " + types
                        + " on one shard and " + added + " on shard " + shard + "; a column has one type on every shard "
                        + "(cast the value, e.g. (as 'I64 ...)); nothing was changed");
            }
        }

        /** The new columns with the types the replicas answered. */
        List<ColumnSpec> specs() {
            List<ColumnSpec> out = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                out.add(ColumnSpec.newBuilder().setName(names.get(i)).setType(SpecTypes.ofCastName(types.get(i))).build());
            }
            return out;
        }
    }

    /**
     * Under the table's write lock: each shard's update, with its aggregates' whole-table (or
     * per-group) values written in and its vectors of per-row values cut to the shard's rows,
     * checked to compute row by row (a table with no rows takes it as it is).
     */
    private IntFunction<RayDict> rowWise(UpdateQuery q, RayDict dict, Column by, TableSpec spec, ClusterSnapshot snapshot,
            QueryOptions options, String what) {
        RayDict d = aggregates.substitute(spec, dict, by, snapshot, options, what);
        if (d != null && q.by().isEmpty()) {
            d = aggregates.wholeColumns(spec, d, options, what);
        }
        if (d == null) {
            return s -> dict;
        }
        UpdateQuery rewritten = d == dict ? q : (UpdateQuery) Queries.parse(RayList.of(Name.of("update"), d)).orElseThrow();
        List<Expr> exprs = new ArrayList<>();
        rewritten.assignments().forEach(a -> exprs.add(a.expr()));
        if (rewritten.where() != null) {
            exprs.add(rewritten.where());
        }
        IntFunction<RayDict> spread = aggregates.spreadRowVectors(spec, d, exprs, snapshot, options, what);
        if (spread != null) {
            // the rest must compute row by row: checked with the vectors left out
            RayDict rest = AggregateValues.replaceVectors(d, AggregateValues.rowVectors(exprs), v -> I64Atom.of(0));
            rewritten = (UpdateQuery) Queries.parse(RayList.of(Name.of("update"), rest)).orElseThrow();
        }
        MutationRules.checkUpdate(rewritten, spec, snapshot, true);
        RayDict whole = d;
        return spread != null ? spread : s -> whole;
    }

    RayValue delete(DeleteQuery given, RayDict givenDict, QueryOptions options) {
        String table = given.table().name();
        String what = "delete from " + table;
        ClusterSnapshot snapshot = kit.placement.snapshot();
        TableSpec spec = snapshot.table(table).orElseThrow().getSpec();
        RayDict dict = others.inline(spec, givenDict, snapshot, options);
        DeleteQuery q = dict == givenDict ? given : (DeleteQuery) Queries.parse(RayList.of(Name.of("delete"), dict)).orElseThrow();
        MutationRules.checkWhere(q.where(), spec, snapshot, what, false);
        return run(spec, "delete", what, options, (shard, answer) -> { }, List::of, () -> {
            IntFunction<RayDict> d = shard -> dict;
            if (!MutationRules.allTogether(spec)) {
                RayDict a = aggregates.substitute(spec, dict, null, snapshot, options, what);
                RayDict s = a == null ? null : aggregates.wholeColumns(spec, a, options, what);
                if (s != null) {
                    List<Expr> where = List.of(Queries.expr(Statements.entry(s, "where")));
                    IntFunction<RayDict> spread = aggregates.spreadRowVectors(spec, s, where, snapshot, options, what);
                    RayDict rest = spread == null ? s : AggregateValues.replaceVectors(s, AggregateValues.rowVectors(where),
                            v -> I64Atom.of(0));
                    MutationRules.checkWhere(Queries.expr(Statements.entry(rest, "where")), spec, snapshot, what, true);
                    d = spread != null ? spread : shard -> s;
                }
            }
            IntFunction<RayDict> stage = d;
            return (shard, global, staging) -> List.of(Staging.stage(staging, call("delete", stage.apply(shard),
                    Name.of(global))));
        });
    }

    /** {@code (f dict)} with the dict's {@code from:} aimed at a shard by name: the unquoted form, answering a new table. */
    private static RayValue call(String function, RayDict dict, RayValue from) {
        return RayList.of(Name.of(function), Statements.withFrom(dict, from));
    }

    /**
     * @param check  checks a replica's answer to its staging request
     * @param added  the columns the statement adds, once every answer is checked
     * @param prepare gives, under the table's write lock, the request that stores a shard's new table
     *                (the unquoted form of the statement over the shard global) in its staging
     *                global, answering what {@code check} reads
     */
    private RayValue run(TableSpec spec, String statement, String what, QueryOptions options, StagedWrite.StagedCheck check,
            Supplier<List<ColumnSpec>> added, Supplier<StagedWrite.Stage> prepare) {
        new StagedWrite(kit).runOnEveryShard(spec, prepare, check, added, options, what, statement);
        return Symbol.computed(spec.getName()); // the engine answers an in-place write with its table's name, unquoted
    }

    /** The engine's type names of a shard's columns ({@code I64}, {@code SYM}, ...), {@code __seq} last. */
    static List<String> engineTypes(TableSpec spec) {
        List<String> out = new ArrayList<>();
        for (ColumnSpec c : spec.getColumnsList()) {
            out.add(SpecTypes.of(c.getType()).castName());
        }
        out.add(RayType.I64.castName());
        return out;
    }

    /** The names in a symbol vector or a list of symbols (what {@code (map type ...)} gives), else null. */
    static List<String> symbols(RayValue v) {
        if (v instanceof SymbolVector s) {
            return s.toList();
        }
        if (v instanceof RayList l) {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < l.length(); i++) {
                if (!(l.get(i) instanceof Symbol s)) {
                    return null;
                }
                out.add(s.name());
            }
            return out;
        }
        return null;
    }

    private static RuntimeException typeChange(String what, TableSpec spec, List<String> expected, List<String> types,
            RayValue answer) {
        if (types != null && types.size() == expected.size()) {
            for (int i = 0; i < expected.size() - 1; i++) {
                if (!types.get(i).equals(expected.get(i))) {
                    return new UnsupportedQueryError(what + ": it would change column " + spec.getColumns(i).getName()
                            + " from " + expected.get(i) + " to " + types.get(i) + "; a cluster table keeps the column types "
                            + "it was created with (cast the value, e.g. (as '" + expected.get(i) + " ...)); nothing was changed");
                }
            }
        }
        return new ClusterQueryError(what + ": a shard's columns would become " + answer + ", not " + expected
                + "; nothing was changed");
    }
}
