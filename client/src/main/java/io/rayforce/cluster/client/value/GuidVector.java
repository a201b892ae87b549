package io.rayforce.cluster.client.value;

import java.util.Arrays;
import java.util.UUID;

/** A guid vector, stored as two longs per element (most, then least significant bits). */
public final class GuidVector extends Vector {
    private final long[] bits;

    /** Takes ownership of {@code bits}: 2 longs per guid. */
    public GuidVector(long[] bits) {
        if (bits.length % 2 != 0) {
            throw new IllegalArgumentException("guid bits must come in pairs, got " + bits.length + " longs");
        }
        this.bits = bits;
    }

    public static GuidVector of(UUID... guids) {
        long[] b = new long[guids.length * 2];
        for (int i = 0; i < guids.length; i++) {
            b[2 * i] = guids[i].getMostSignificantBits();
            b[2 * i + 1] = guids[i].getLeastSignificantBits();
        }
        return new GuidVector(b);
    }

    public UUID get(int index) {
        return new UUID(bits[2 * index], bits[2 * index + 1]);
    }

    public long mostSignificantBits(int index) {
        return bits[2 * index];
    }

    public long leastSignificantBits(int index) {
        return bits[2 * index + 1];
    }

    @Override
    public boolean isNull(int index) {
        return bits[2 * index] == 0 && bits[2 * index + 1] == 0;
    }

    @Override
    public GuidAtom at(int index) {
        return new GuidAtom(get(index));
    }

    @Override
    public RayType type() {
        return RayType.GUID;
    }

    @Override
    int slots() {
        return 2;
    }

    @Override
    Object array() {
        return bits;
    }

    @Override
    Vector withArray(Object array) {
        return new GuidVector((long[]) array);
    }

    @Override
    int elementsHash() {
        return Arrays.hashCode(bits);
    }
}
