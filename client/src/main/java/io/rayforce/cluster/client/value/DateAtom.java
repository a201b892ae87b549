package io.rayforce.cluster.client.value;

import java.time.LocalDate;

/** A date atom: days since 2000-01-01; {@code 0Nd} is {@link Nulls#I32}. */
public record DateAtom(int days) implements Atom {
    public static final DateAtom NULL = new DateAtom(Nulls.I32);

    public static DateAtom of(LocalDate date) {
        return new DateAtom(Temporals.days(date));
    }

    /** The date, or null for {@code 0Nd}. */
    public LocalDate toLocalDate() {
        return Temporals.localDate(days);
    }

    @Override
    public boolean isNull() {
        return days == Nulls.I32;
    }

    @Override
    public RayType type() {
        return RayType.DATE;
    }

    @Override
    public String toString() {
        return Printing.text(this);
    }
}
