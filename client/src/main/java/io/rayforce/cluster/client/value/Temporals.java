package io.rayforce.cluster.client.value;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;

/**
 * Conversions between the engine's temporal encodings and {@code java.time}. The engine counts
 * dates in days and timestamps in nanoseconds since 2000-01-01 (UTC), and times in milliseconds
 * since midnight.
 */
public final class Temporals {
    /** Days from 1970-01-01 to the engine's epoch 2000-01-01. */
    public static final int EPOCH_DAYS = 10_957;
    /** Nanoseconds from 1970-01-01T00:00Z to the engine's epoch. */
    public static final long EPOCH_NANOS = EPOCH_DAYS * 86_400L * 1_000_000_000L;
    public static final int MILLIS_PER_DAY = 86_400_000;

    private Temporals() {
    }

    public static int days(LocalDate date) {
        return Math.toIntExact(date.toEpochDay() - EPOCH_DAYS);
    }

    public static LocalDate localDate(int days) {
        return days == Nulls.I32 ? null : LocalDate.ofEpochDay((long) days + EPOCH_DAYS);
    }

    public static int millis(LocalTime time) {
        return (int) (time.toNanoOfDay() / 1_000_000L);
    }

    public static LocalTime localTime(int millis) {
        if (millis == Nulls.I32) {
            return null;
        }
        if (millis < 0 || millis >= MILLIS_PER_DAY) {
            throw new DateTimeException("time " + millis + " ms is outside one day; use duration()");
        }
        return LocalTime.ofNanoOfDay(millis * 1_000_000L);
    }

    public static Duration duration(int millis) {
        return millis == Nulls.I32 ? null : Duration.ofMillis(millis);
    }

    public static long nanos(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano())
                - EPOCH_NANOS;
    }

    public static long nanos(LocalDateTime dateTime) {
        return nanos(dateTime.toInstant(ZoneOffset.UTC));
    }

    public static Instant instant(long nanos) {
        if (nanos == Nulls.I64) {
            return null;
        }
        long sinceUnix = nanos + EPOCH_NANOS;
        return Instant.ofEpochSecond(Math.floorDiv(sinceUnix, 1_000_000_000L), Math.floorMod(sinceUnix, 1_000_000_000L));
    }

    public static LocalDateTime localDateTime(long nanos) {
        Instant i = instant(nanos);
        return i == null ? null : LocalDateTime.ofInstant(i, ZoneOffset.UTC);
    }
}
