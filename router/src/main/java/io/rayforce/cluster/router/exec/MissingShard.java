package io.rayforce.cluster.router.exec;

/** A unit that no replica answered, and why. */
public record MissingShard(UnitId unit, String reason) {
    @Override
    public String toString() {
        return "shard " + unit.shard() + " of " + unit.table() + " (" + reason + ")";
    }
}
