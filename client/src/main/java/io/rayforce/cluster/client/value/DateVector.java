package io.rayforce.cluster.client.value;

import java.time.LocalDate;

/** A date vector: days since 2000-01-01. */
public final class DateVector extends IntBackedVector {
    /** Takes ownership of {@code days}. */
    public DateVector(int[] days) {
        super(days);
    }

    public static DateVector of(LocalDate... dates) {
        int[] d = new int[dates.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = dates[i] == null ? Nulls.I32 : Temporals.days(dates[i]);
        }
        return new DateVector(d);
    }

    /** Element {@code index} as a date, or null. */
    public LocalDate localDate(int index) {
        return Temporals.localDate(values[index]);
    }

    @Override
    public DateAtom at(int index) {
        return new DateAtom(values[index]);
    }

    @Override
    public RayType type() {
        return RayType.DATE;
    }

    @Override
    Vector withArray(Object array) {
        return new DateVector((int[]) array);
    }
}
