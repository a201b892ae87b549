package io.rayforce.cluster.router.write;

import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.ColumnSpec;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.router.QueryOptions;
import io.rayforce.cluster.router.planner.Schemas;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sets every shard of a table whole in one copy-on-write write ({@link StagedWrite}), each from
 * {@code (concat <base> <its new rows>)}: its rows replaced ({@link #replace}: ipcsave over a table
 * whose layout the result would get anyway) or new rows concatenated to the old
 * ({@link #alterConcat}: {@code (alter 't concat rows)}). Every shard is set whole, so its columns
 * carry the attribute bits one server's concatenated table has (the engine's concat builds new
 * columns, without the has-nulls bit an append sets). Readers see the table before or after, never
 * part of it and never no table; a write that fails changes nothing. The table keeps its creation
 * epoch and spec; the new rows get new row sequence numbers in row order.
 */
final class ShardRebuild {
    private final WriteKit kit;

    ShardRebuild(WriteKit kit) {
        this.kit = kit;
    }

    /**
     * Whether a table created with {@code wanted} would be laid out as {@code existing} is: the same
     * columns (names and types, in order), shard key, shard count, replication.
     */
    static boolean sameLayout(TableSpec existing, TableSpec wanted) {
        return existing.toBuilder().clearCreatedEpoch().clearSpecEpoch().build()
                .equals(wanted.toBuilder().clearCreatedEpoch().clearSpecEpoch().build());
    }

    /** Replaces the rows of {@code spec}'s table (as the caller saw it) with {@code rows}, which have exactly its columns. */
    void replace(TableSpec spec, RayTable rows, QueryOptions options, String what) {
        run(spec, rows, global -> RayList.of(Name.of("take"), Name.of(global), I64Atom.of(0)), options, what, "set");
    }

    /**
     * {@code (alter 't concat data)}: the engine's {@code concat} of the table with a table value,
     * stored in place. The value must be a table with every column of the table, each of exactly its
     * type (no widening, unlike insert); other columns are left out. Then its rows are appended as
     * an insert's are.
     */
    RayValue alterConcat(String table, RayValue data, QueryOptions options) {
        String what = "alter " + table + " concat";
        ClusterSnapshot snapshot = kit.placement.snapshot();
        TableSpec spec = snapshot.table(table).orElseThrow().getSpec();
        RayValue value = kit.normalizer.evaluate(data, options);
        if (!(value instanceof RayTable rows)) {
            throw new RayforceEvaluationError("type", what + ": cannot concatenate TABLE and " + value.type().rayfallName());
        }
        List<String> names = Schemas.columnNames(spec);
        List<Vector> columns = new ArrayList<>();
        for (ColumnSpec c : spec.getColumnsList()) {
            if (!rows.hasColumn(c.getName())) {
                throw new RayforceEvaluationError("value", what + ": the rows have no column " + c.getName() + " (they have "
                        + String.join(" ", rows.columnNames()) + ")");
            }
            Vector v = rows.column(c.getName());
            if (!SpecTypes.of(v).equals(c.getType())) {
                throw new RayforceEvaluationError("type", what + ": column type mismatch in " + c.getName() + ", got "
                        + SpecTypes.of(c.getType()).castName() + " and " + SpecTypes.of(SpecTypes.of(v)).castName());
            }
            columns.add(v);
        }
        run(spec, RayTable.of(names, columns), Name::of, options, what, "alter");
        return Symbol.of(table);
    }

    private void run(TableSpec spec, RayTable rows, java.util.function.Function<String, RayValue> base, QueryOptions options,
            String what, String statement) {
        String table = spec.getName();
        new StagedWrite(kit).runOnEveryShard(spec, () -> {
            // under the locks: the new rows' sequence numbers come after every row written before
            int n = rows.rowCount();
            Map<Integer, RayTable> parts = n == 0 ? Map.of()
                    : ShardParts.sequenced(ShardParts.split(spec, rows), kit.services(what).reserve(table, n, what));
            return (shard, global, staging) -> stage(base.apply(global), staging, parts.get(shard), what);
        }, (shard, answer) -> { }, List::of, options, what, statement);
    }

    /**
     * A shard's new table in its staging global: {@code (concat base chunk)}, then each further
     * chunk concatenated to the staging table (not inserted: an insert would set the has-nulls bit).
     */
    private static List<RayValue> stage(RayValue base, String staging, RayTable part, String what) {
        if (part == null) {
            return List.of(Staging.stage(staging, RayList.of(Name.of("concat"), base,
                    RayList.of(Name.of("take"), base, I64Atom.of(0)))));
        }
        List<RayValue> requests = new ArrayList<>();
        for (RayTable chunk : Chunks.of(part, what)) {
            requests.add(Staging.stage(staging, RayList.of(Name.of("concat"), requests.isEmpty() ? base : Name.of(staging), chunk)));
        }
        return requests;
    }
}
