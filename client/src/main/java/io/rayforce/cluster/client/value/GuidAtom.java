package io.rayforce.cluster.client.value;

import java.util.Objects;
import java.util.UUID;

/** A guid atom; the all-zero guid is null. */
public record GuidAtom(UUID value) implements Atom {
    public static final GuidAtom NULL = new GuidAtom(new UUID(0, 0));

    public GuidAtom {
        Objects.requireNonNull(value, "guid");
    }

    @Override
    public boolean isNull() {
        return value.getMostSignificantBits() == 0 && value.getLeastSignificantBits() == 0;
    }

    @Override
    public RayType type() {
        return RayType.GUID;
    }

    @Override
    public String toString() {
        return Printing.text(this);
    }
}
