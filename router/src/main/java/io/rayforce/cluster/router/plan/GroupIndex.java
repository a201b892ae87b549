package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.router.merge.ValueOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The groups of a combined answer by their key values (nulls equal nulls, -0.0 is 0.0, as the
 * engine groups), to find the group a shard's row of the same keys belongs to. With no keys the
 * one row of an ungrouped answer is every row's group.
 */
final class GroupIndex {
    private final List<String> keys;
    private final Map<List<RayValue>, Integer> rows = new HashMap<>();
    private final int count;

    GroupIndex(RayTable groups, List<String> keys) {
        this.keys = List.copyOf(keys);
        this.count = groups.rowCount();
        if (!keys.isEmpty()) {
            for (int r = 0; r < groups.rowCount(); r++) {
                rows.putIfAbsent(key(groups, r), r);
            }
        }
    }

    private List<RayValue> key(RayTable t, int row) {
        List<RayValue> k = new ArrayList<>(keys.size());
        for (String c : keys) {
            Vector v = t.column(c);
            k.add(ValueOrder.key(v, row));
        }
        return k;
    }

    /** The group of row {@code row} of {@code t} (a table with the key columns), or -1 when there is none. */
    int of(RayTable t, int row) {
        if (keys.isEmpty()) {
            return count > 0 ? 0 : -1;
        }
        Integer g = rows.get(key(t, row));
        return g == null ? -1 : g;
    }
}
