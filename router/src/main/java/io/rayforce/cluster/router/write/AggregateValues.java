package io.rayforce.cluster.router.write;

import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.query.Call;
import io.rayforce.cluster.client.query.Column;
import io.rayforce.cluster.client.query.Expr;
import io.rayforce.cluster.client.query.Queries;
import io.rayforce.cluster.client.rayfall.Builtins;
import io.rayforce.cluster.client.value.Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.coordinator.meta.ClusterNaming;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.router.QueryOptions;
import io.rayforce.cluster.router.exec.ClusterQueryError;
import io.rayforce.cluster.router.statement.Statements;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The whole-table values inside an update or delete of a sharded table (docs/router.md, Update
 * and delete): every aggregate of row-wise arguments in its assignments and {@code where:}
 * ({@code (max v)}, {@code (- v (avg v))}) is computed over the whole table through the read path
 * (the planner's distributed select; the engine computes them over the whole table also when the
 * update has a {@code where:}) and written into the statement as a literal, and with
 * {@code by: g} (one column) as the row-wise lookup {@code (at [values] (find [groups] g))} of the
 * group's value; what is left is computed row by row, so every shard can apply it to its own rows.
 * Vector literals of per-row values are split over the shards by the rows' places in the table's
 * order ({@link #spreadRowVectors}). Run under the table's write lock, so the
 * values are those of the table the statement changes.
 */
final class AggregateValues {
    private final WriteKit kit;

    AggregateValues(WriteKit kit) {
        this.kit = kit;
    }

    /** The aggregates of {@code e} that can be computed over the whole table, outermost first. */
    static List<RayValue> find(RayValue tree, TableSpec spec, ClusterSnapshot snapshot) {
        List<RayValue> out = new ArrayList<>();
        collect(tree, spec, snapshot, out);
        return out;
    }

    private static void collect(RayValue tree, TableSpec spec, ClusterSnapshot snapshot, List<RayValue> out) {
        String f = Statements.function(tree);
        if (f == null) {
            return;
        }
        if (aggregate(Queries.expr(tree), spec, snapshot)) {
            if (!out.contains(tree)) {
                out.add(tree);
            }
            return;
        }
        RayList l = (RayList) tree;
        for (int i = 1; i < l.length(); i++) {
            collect(l.get(i), spec, snapshot, out);
        }
    }

    private static boolean aggregate(Expr e, TableSpec spec, ClusterSnapshot snapshot) {
        return e instanceof Call c && Builtins.placement(c.function()) == Builtins.Placement.AGGREGATE
                && !c.args().isEmpty() && c.args().stream().allMatch(MutationRules::isRowWise)
                && MutationRules.plainNames(e, spec, snapshot);
    }

    /**
     * {@code dict} with its aggregates replaced by their values over the whole table, grouped by
     * {@code by} when it is not null; {@code dict} itself when it has none; null when the table is
     * empty (every shard is empty then, and takes the statement as it is, as one server would).
     */
    RayDict substitute(TableSpec spec, RayDict dict, Column by, ClusterSnapshot snapshot, QueryOptions options, String what) {
        SymbolVector keys = (SymbolVector) dict.keys();
        Vector vals = (Vector) dict.values();
        List<RayValue> found = new ArrayList<>();
        for (int i = 0; i < vals.length(); i++) {
            if (!keys.get(i).equals("from") && !keys.get(i).equals("by")) {
                for (RayValue a : find(vals.at(i), spec, snapshot)) {
                    if (!found.contains(a)) {
                        found.add(a);
                    }
                }
            }
        }
        if (found.isEmpty()) {
            return dict;
        }
        // (select {agg0: .. agg1: .. rows: (count col) [by: g] from: t})
        // the result's names, none of them the group column's
        String p = by != null && (by.name().startsWith("agg") || by.name().equals("rows")) ? "x" : "";
        List<String> names = new ArrayList<>();
        List<RayValue> exprs = new ArrayList<>();
        for (int i = 0; i < found.size(); i++) {
            names.add(p + "agg" + i);
            exprs.add(found.get(i));
        }
        names.add(p + "rows");
        exprs.add(RayList.of(Name.of("count"), Name.of(spec.getColumns(0).getName())));
        if (by != null) {
            names.add("by");
            exprs.add(Name.of(by.name()));
        }
        names.add("from");
        exprs.add(Name.of(spec.getName()));
        RayValue answer = kit.read.read(RayList.of(Name.of("select"), new RayDict(SymbolVector.of(names), RayList.of(exprs))),
                options);
        if (!(answer instanceof RayTable t)) {
            throw new ClusterQueryError(what + ": computing its aggregates over the table gave "
                    + DataNormalizer.describe(answer));
        }
        long rows = 0;
        for (int r = 0; r < t.rowCount(); r++) {
            RayValue n = t.column(p + "rows").at(r);
            rows += n instanceof Atom && Statements.integer(n) != null ? Statements.integer(n) : 0;
        }
        if (rows == 0) {
            return null;
        }
        Map<RayValue, RayValue> values = new LinkedHashMap<>();
        for (int i = 0; i < found.size(); i++) {
            Vector column = t.column(p + "agg" + i);
            if (by == null) {
                if (t.rowCount() != 1) {
                    throw new ClusterQueryError(what + ": the aggregate " + found.get(i) + " gave " + t.rowCount() + " rows");
                }
                values.put(found.get(i), column.at(0));
            } else {
                // the group's value, row by row: (at [values] (find [groups] g))
                values.put(found.get(i), RayList.of(Name.of("at"), column, RayList.of(Name.of("find"), t.column(by.name()),
                        Name.of(by.name()))));
            }
        }
        List<RayValue> out = new ArrayList<>();
        for (int i = 0; i < vals.length(); i++) {
            String k = keys.get(i);
            out.add(k.equals("from") || k.equals("by") ? vals.at(i) : replaceIn(vals.at(i), values::get));
        }
        return new RayDict(keys, RayList.of(out));
    }

    /**
     * The assignments and the {@code where:} of an update or delete (without {@code by:}) that are
     * neither row-wise nor aggregates: running functions and other whole-column forms
     * ({@code (sums v)}, {@code (deltas v)}, {@code (reverse v)}, {@code (mavg 2 v)}, and any
     * expression holding one). The engine computes such an expression over the whole table, also
     * when the update has a {@code where:} (the selected rows then take the values at their places:
     * verified on the engine, {@code (update {v: (sums v) where: (> k 2)})} gives the selected rows
     * the running sum over every row). So each is computed whole, in the table's order, through the
     * read path, {@code (select {whole: E wholerows: k from: t})} (a plain column makes an atom a
     * column of the table's length), and stands in the statement as a vector of per-row
     * values, which {@link #spreadRowVectors} cuts per shard. A value that is no typed vector
     * (strings, mixed lists) is left in place, and refused as not row-wise later.
     *
     * @return {@code dict} when it has no such expression, null when the table is empty (every shard
     *         takes the statement as it is, as one server would)
     */
    RayDict wholeColumns(TableSpec spec, RayDict dict, QueryOptions options, String what) {
        SymbolVector keys = (SymbolVector) dict.keys();
        Vector vals = (Vector) dict.values();
        List<Integer> whole = new ArrayList<>();
        for (int i = 0; i < vals.length(); i++) {
            String k = keys.get(i);
            if (!k.equals("from") && !k.equals("by") && Statements.function(vals.at(i)) != null
                    && !MutationRules.isRowWise(Queries.expr(vals.at(i)))) {
                whole.add(i);
            }
        }
        if (whole.isEmpty()) {
            return dict;
        }
        List<RayValue> out = new ArrayList<>();
        for (int i = 0; i < vals.length(); i++) {
            out.add(vals.at(i));
        }
        for (int i : whole) {
            // one select each: the engine refuses some selects of two such columns ({a: (sums v) b: (reverse v)}: type)
            RayValue answer = kit.read.read(RayList.of(Name.of("select"), new RayDict(SymbolVector.of("whole", "wholerows", "from"),
                    RayList.of(vals.at(i), Name.of(spec.getColumns(0).getName()), Name.of(spec.getName())))), options);
            if (!(answer instanceof RayTable t)) {
                throw new ClusterQueryError(what + ": computing " + vals.at(i) + " over the table gave "
                        + DataNormalizer.describe(answer));
            }
            if (t.rowCount() == 0) {
                return null;
            }
            Vector column = t.column("whole");
            if (!(column instanceof RayList)) {
                out.set(i, column);
            }
        }
        return new RayDict(keys, RayList.of(out));
    }

    /**
     * Vector literals of per-row values in an update's assignments or a {@code where:}
     * ({@code {v: [1 2 3 4]}}, {@code where: (and (> k 1) [true false true true])}): the
     * engine's {@code length} unless the vector has as many values as the table has rows, also
     * with a {@code where:} (then the selected rows take the values at their places; verified on
     * the engine). Each shard gets, in place of the vector, {@code (at vector positions)}: the
     * values of its own rows, whose places in the table's order (by {@code __seq}) one LIVE
     * replica of each shard gives.
     *
     * @return the update for each shard, or null when it has no such vectors
     */
    IntFunction<RayDict> spreadRowVectors(TableSpec spec, RayDict dict, List<Expr> exprs, ClusterSnapshot snapshot,
            QueryOptions options, String what) {
        Set<RayValue> vectors = rowVectors(exprs);
        if (vectors.isEmpty()) {
            return null;
        }
        String table = spec.getName();
        List<Integer> shards = new ArrayList<>();
        Map<Integer, RayValue> requests = new LinkedHashMap<>();
        for (int s = 0; s < spec.getShardCount(); s++) {
            shards.add(s);
            requests.put(s, RayList.of(Name.of("at"), Name.of(ClusterNaming.shardGlobal(table, s)),
                    Symbol.of(ClusterNaming.SEQ_COLUMN)));
        }
        List<RayValue> seqs = kit.readEach(snapshot, table, shards, requests, options);
        long rows = 0;
        for (RayValue v : seqs) {
            if (!(v instanceof I64Vector)) {
                throw new ClusterQueryError(what + ": a shard answered its row order with " + DataNormalizer.describe(v));
            }
            rows += ((I64Vector) v).length();
        }
        for (RayValue v : vectors) {
            if (((Vector) v).length() != rows) {
                throw new RayforceEvaluationError("length", what + ": a vector of per-row values has "
                        + ((Vector) v).length() + " values but the table has " + rows + " rows");
            }
        }
        // each row's position in the table's order: the rank of its __seq
        long[] all = new long[(int) rows];
        int n = 0;
        for (RayValue v : seqs) {
            I64Vector q = (I64Vector) v;
            for (int i = 0; i < q.length(); i++) {
                all[n++] = q.at(i).value();
            }
        }
        long[] sorted = all.clone();
        Arrays.sort(sorted);
        Map<Integer, I64Vector> positions = new LinkedHashMap<>();
        for (int s = 0; s < seqs.size(); s++) {
            I64Vector q = (I64Vector) seqs.get(s);
            long[] pos = new long[q.length()];
            for (int i = 0; i < pos.length; i++) {
                pos[i] = Arrays.binarySearch(sorted, q.at(i).value());
            }
            positions.put(shards.get(s), new I64Vector(pos));
        }
        return shard -> replaceVectors(dict, vectors, v -> RayList.of(Name.of("at"), v, positions.get(shard)));
    }

    /** The vector literals of per-row values in {@code exprs}, by identity (as they stand in the statement's dict). */
    static Set<RayValue> rowVectors(List<Expr> exprs) {
        Set<RayValue> vectors = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Expr e : exprs) {
            vectors.addAll(MutationRules.rowVectors(e));
        }
        return vectors;
    }

    /** {@code dict} with each of {@code vectors} (by identity) replaced by {@code with}'s value, e.g. to check the rest. */
    static RayDict replaceVectors(RayDict dict, Set<RayValue> vectors, java.util.function.UnaryOperator<RayValue> with) {
        SymbolVector keys = (SymbolVector) dict.keys();
        Vector vals = (Vector) dict.values();
        List<RayValue> out = new ArrayList<>();
        for (int i = 0; i < vals.length(); i++) {
            out.add(keys.get(i).equals("from") ? vals.at(i)
                    : replaceIn(vals.at(i), v -> vectors.contains(v) ? with.apply(v) : null));
        }
        return new RayDict(keys, RayList.of(out));
    }

    /** {@code tree} with every part for which {@code with} answers a value replaced by it (a call's head is kept). */
    private static RayValue replaceIn(RayValue tree, Function<RayValue, RayValue> with) {
        RayValue v = with.apply(tree);
        if (v != null) {
            return v;
        }
        if (Statements.function(tree) == null) {
            return tree;
        }
        RayList l = (RayList) tree;
        List<RayValue> out = new ArrayList<>(l.length());
        out.add(l.get(0));
        for (int i = 1; i < l.length(); i++) {
            out.add(replaceIn(l.get(i), with));
        }
        return RayList.of(out);
    }
}
