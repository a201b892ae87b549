package io.rayforce.cluster.router.plan.aggregate;

import io.rayforce.cluster.client.query.Named;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.StringVector;
import io.rayforce.cluster.client.value.Vector;
import java.util.List;

/**
 * {@code mode}: the most frequent value that is not null; of several as frequent, the one that
 * appears first; null when there is none ({@code (mode [3 2 2 3])} is 3, {@code (mode [0N])}
 * null; -0.0 and 0.0 are one value, answered as 0.0). The empty string is null to a vector's
 * mode but a value to a select's ({@code (mode ["" "" "a"])} is "a", a select's mode of the same
 * column ""). Counting needs every shard's count of each
 * value, which {@code ModeCombine} asks for after the combine; the partial here is only each
 * group's {@code (first x)}, which types the column and stands in for it until then.
 */
final class ModeRule implements AggregateRule, Modal {
    private final boolean projection;

    /** @param projection a select's projection, which counts the empty string (a vector's mode skips it as null) */
    ModeRule(boolean projection) {
        this.projection = projection;
    }

    @Override
    public String name() {
        return "MODE";
    }

    @Override
    public boolean counts(Vector values, int i) {
        return !values.isNull(i) || projection && values instanceof StringVector;
    }

    @Override
    public Finish finish() {
        return Finish.MODE_COMBINE;
    }

    @Override
    public List<Named> partials(Aggregate a, boolean grouped) {
        return List.of(Partials.call(a.output(), "first", a.argument()));
    }

    /** A stand-in of the values' type, one per group: replaced by {@code ModeCombine}. */
    @Override
    public Vector combine(Aggregate a, RayTable partials, int[][] groups) {
        int[] firstRows = new int[groups.length];
        for (int g = 0; g < groups.length; g++) {
            firstRows[g] = groups[g][0];
        }
        return partials.column(a.output()).gather(firstRows);
    }

    @Override
    public Vector empty(Aggregate a, RayTable partials) {
        return Partials.emptyLike(partials, a.output());
    }
}
