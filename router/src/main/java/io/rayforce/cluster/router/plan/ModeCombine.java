package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.value.F32Vector;
import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.router.exec.QueryContext;
import io.rayforce.cluster.router.merge.Parts;
import io.rayforce.cluster.router.merge.ValueOrder;
import io.rayforce.cluster.router.plan.aggregate.Aggregate;
import io.rayforce.cluster.router.plan.aggregate.Modal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Finishes {@code mode} in a combined answer from every shard's count of each value: each shard
 * groups its values per group ({@link #COUNT} rows, {@link #FIRST} the first row's
 * sequence number); per group the router adds the counts of equal values (-0.0 is 0.0) and
 * keeps the value counted most (of those the mode counts: {@link Modal}), of those the one that appears first, as the engine does. A group
 * without values keeps the combine's stand-in, its null. What moves is one row per distinct value
 * and group on each shard: the per-shard counts the merge needs.
 */
public final class ModeCombine implements Plan {
    /** A shard's count of one value in a group. */
    static final String COUNT = "__n";
    /** The smallest sequence number of a value in a group on a shard: where it first appears. */
    static final String FIRST = "__f";
    /** The value counted. */
    static final String VALUE = Hidden.VALUES;

    /** Where the rows live: each shard's counts of each value per group (keys, {@link #VALUE}, {@link #COUNT}, {@link #FIRST}). */
    public interface Shards {
        CompletableFuture<List<RayTable>> ask(QueryContext ctx, PlanEnv env, Plan step, Aggregate mode);

        /** The group key columns of the combined answer (none when ungrouped). */
        List<String> keyNames();

        String describe();
    }

    private final Plan input;
    private final List<Aggregate> modes;
    private final Shards shards;

    /** @param input the combined groups, each mode's column holding a stand-in of the values' type (null where a group has no values) */
    public ModeCombine(Plan input, List<Aggregate> modes, Shards shards) {
        this.input = input;
        this.modes = List.copyOf(modes);
        this.shards = shards;
    }

    @Override
    public CompletableFuture<RayValue> run(QueryContext ctx, PlanEnv env) {
        return input.run(ctx, env).thenCompose(v -> {
            RayTable t = (RayTable) v;
            if (t.rowCount() == 0) {
                return CompletableFuture.completedFuture(t);
            }
            Map<String, CompletableFuture<Vector>> finished = new LinkedHashMap<>();
            for (Aggregate a : modes) {
                finished.put(a.output(), shards.ask(ctx, env, this, a).thenApply(answers -> modes(t, a, answers)));
            }
            return AggregateSource.replacing(t, finished);
        });
    }

    /** The mode of each group of {@code t}. */
    Vector modes(RayTable t, Aggregate a, List<RayTable> answers) {
        Vector standIn = t.column(a.output());
        int groups = t.rowCount();
        List<RayTable> parts = new ArrayList<>();
        parts.add(RayTable.of(List.of(VALUE), List.of(standIn)));
        for (RayTable ans : answers) {
            if (ans.rowCount() > 0) {
                parts.add(RayTable.of(List.of(VALUE), List.of(ans.column(VALUE))));
            }
        }
        Vector values = new Parts(parts).all().column(0); // the stand-ins, then every shard's values
        List<Map<RayValue, long[]>> counted = new ArrayList<>(groups);
        for (int g = 0; g < groups; g++) {
            counted.add(new HashMap<>());
        }
        GroupIndex index = new GroupIndex(t, shards.keyNames());
        int offset = groups;
        for (RayTable ans : answers) {
            if (ans.rowCount() == 0) {
                continue;
            }
            I64Vector n = (I64Vector) ans.column(COUNT);
            I64Vector first = (I64Vector) ans.column(FIRST);
            for (int r = 0; r < ans.rowCount(); r++) {
                int g = index.of(ans, r);
                if (g < 0 || !counted(a, values, offset + r)) {
                    continue;
                }
                long[] c = counted.get(g).computeIfAbsent(ValueOrder.key(values, offset + r), k -> new long[] {0, Long.MAX_VALUE, 0});
                c[0] += n.get(r);
                if (first.get(r) < c[1]) {
                    c[1] = first.get(r);
                    c[2] = offset + r;
                }
            }
            offset += ans.rowCount();
        }
        int[] chosen = new int[groups];
        for (int g = 0; g < groups; g++) {
            chosen[g] = g; // no values: the stand-in
            long bestCount = 0;
            long bestFirst = Long.MAX_VALUE;
            for (long[] c : counted.get(g).values()) {
                if (c[0] > bestCount || c[0] == bestCount && c[1] < bestFirst) {
                    bestCount = c[0];
                    bestFirst = c[1];
                    chosen[g] = (int) c[2];
                }
            }
        }
        return positiveZero(values.gather(chosen));
    }

    private static boolean counted(Aggregate a, Vector values, int i) {
        return ((Modal) a.rule()).counts(values, i);
    }

    /** The engine answers 0.0 for a mode of -0.0. */
    private static Vector positiveZero(Vector v) {
        if (v instanceof F64Vector f) {
            double[] d = f.toArray();
            for (int i = 0; i < d.length; i++) {
                d[i] = d[i] == 0 ? 0.0 : d[i];
            }
            return new F64Vector(d);
        }
        if (v instanceof F32Vector f) {
            float[] d = new float[f.length()];
            for (int i = 0; i < d.length; i++) {
                d[i] = f.get(i) == 0 ? 0.0f : f.get(i);
            }
            return new F32Vector(d);
        }
        return v;
    }

    @Override
    public String describe() {
        return "ModeCombine " + modes + " over " + shards.describe() + ": each shard's count of each value per group";
    }

    @Override
    public List<Plan> inputs() {
        return List.of(input);
    }
}
