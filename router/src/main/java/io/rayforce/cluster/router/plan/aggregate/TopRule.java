package io.rayforce.cluster.router.plan.aggregate;

import io.rayforce.cluster.client.query.Call;
import io.rayforce.cluster.client.query.Expr;
import io.rayforce.cluster.client.query.Literal;
import io.rayforce.cluster.client.query.Named;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.router.merge.Parts;
import io.rayforce.cluster.router.merge.ValueOrder;
import io.rayforce.cluster.router.plan.Hidden;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code (top x k)} and {@code (bot x k)}: the k largest values, largest first (the k smallest,
 * smallest first), or all of them when there are fewer. In a grouped select the engine leaves
 * nulls out and answers a list of vectors, one per group; of a vector it keeps nulls (the
 * smallest values). Per-shard top-k, merged: each shard sends its own top k (per group, or of
 * its values), and the router keeps the top k of their union.
 */
final class TopRule implements AggregateRule {
    private final boolean top;

    TopRule(boolean top) {
        this.top = top;
    }

    @Override
    public String name() {
        return top ? "TOP" : "BOT";
    }

    @Override
    public boolean oneValue() {
        return false;
    }

    private static long k(Aggregate a) {
        return ((I64Atom) ((Literal) a.more().get(0)).value()).value();
    }

    /**
     * Grouped: {@code (top x k)} per group. Of a vector the values are gathered (and each shard's
     * top k taken there, {@link #onShard}); the partial only types the values.
     */
    @Override
    public List<Named> partials(Aggregate a, boolean grouped) {
        if (grouped) {
            return List.of(new Named(a.output(), call(a, a.argument())));
        }
        return List.of(Partials.call(type(a), "first", a.argument()));
    }

    private Expr call(Aggregate a, Expr values) {
        return new Call(top ? "top" : "bot", List.of(values, a.more().get(0)));
    }

    private static String type(Aggregate a) {
        return Hidden.part(a.output(), "t");
    }

    @Override
    public Expr gathered(Aggregate a) {
        return a.argument();
    }

    @Override
    public RayValue onShard(Aggregate a, RayValue values) {
        return RayList.of(Name.of(top ? "top" : "bot"), values, I64Atom.of(k(a)));
    }

    /** Per group, the top (bottom) k of the shards' values, as a list of vectors. */
    @Override
    public Vector combine(Aggregate a, RayTable partials, int[][] groups) {
        List<List<Vector>> values = Partials.gathered(partials.column(a.output()), groups);
        long k = k(a);
        RayValue[] out = new RayValue[groups.length];
        for (int g = 0; g < groups.length; g++) {
            List<RayTable> parts = new ArrayList<>();
            for (Vector v : values.get(g)) {
                if (v.length() > 0) {
                    parts.add(RayTable.of(List.of("v"), List.of(v)));
                }
            }
            if (parts.isEmpty()) {
                out[g] = values.get(g).get(0); // no values: the (typed) empty vector a shard sent
                continue;
            }
            Vector all = new Parts(parts).all().column(0);
            Integer[] idx = new Integer[all.length()];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = i;
            }
            Arrays.sort(idx, (i, j) -> top ? ValueOrder.compare(all, j, all, i) : ValueOrder.compare(all, i, all, j));
            int keep = (int) Math.min(k, idx.length);
            int[] chosen = new int[keep];
            for (int i = 0; i < keep; i++) {
                chosen[i] = idx[i];
            }
            out[g] = all.gather(chosen);
        }
        return RayList.of(out);
    }

    /** No groups: an empty list; no values of a vector: its empty vector (typed by the partial). */
    @Override
    public Vector empty(Aggregate a, RayTable partials) {
        if (partials != null && partials.hasColumn(type(a))) {
            return partials.column(type(a)).slice(0, 0);
        }
        return RayList.EMPTY;
    }

    @Override
    public RayValue overNothing(Aggregate a, Vector empty) {
        return empty;
    }
}
