package io.rayforce.cluster.router.exec;

import io.rayforce.cluster.client.value.RayValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answers of a fan-out, exactly one per unit: a second answer for a unit (a retry or hedge
 * that also came back) is ignored. Units are kept in shard order.
 */
public final class ShardResults {
    private final List<UnitId> units;
    private final Map<UnitId, RayValue> answers = new LinkedHashMap<>();
    private int duplicates;

    public ShardResults(List<UnitId> units) {
        this.units = List.copyOf(units);
    }

    /** Records {@code value} for {@code unit}; false (and ignored) when the unit already has one. */
    public synchronized boolean accept(UnitId unit, RayValue value) {
        if (!units.contains(unit)) {
            throw new IllegalArgumentException(unit + " is not part of this fan-out");
        }
        if (answers.putIfAbsent(unit, value) != null) {
            duplicates++;
            return false;
        }
        return true;
    }

    /** The answers in unit order (units without an answer are skipped). */
    public synchronized List<RayValue> values() {
        List<RayValue> out = new ArrayList<>();
        for (UnitId u : units) {
            RayValue v = answers.get(u);
            if (v != null) {
                out.add(v);
            }
        }
        return out;
    }

    public synchronized RayValue get(UnitId unit) {
        return answers.get(unit);
    }

    public List<UnitId> units() {
        return units;
    }

    public synchronized int duplicatesIgnored() {
        return duplicates;
    }
}
