package io.rayforce.cluster.router.bench;

import java.util.Arrays;

/** Timings in nanoseconds and their order statistics. */
final class Samples {
    private long[] values;
    private int size;

    Samples(int capacity) {
        values = new long[Math.max(1, capacity)];
    }

    void add(long nanos) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
    }

    int size() {
        return size;
    }

    /** Each timing, in the order added. */
    void forEach(java.util.function.LongConsumer each) {
        for (int i = 0; i < size; i++) {
            each.accept(values[i]);
        }
    }

    /** The {@code q}-quantile (0..1), nearest rank, in milliseconds. */
    double quantileMillis(double q) {
        long[] s = Arrays.copyOf(values, size);
        Arrays.sort(s);
        int rank = (int) Math.ceil(q * s.length) - 1;
        return s[Math.max(0, Math.min(s.length - 1, rank))] / 1e6;
    }

    double medianMillis() {
        return quantileMillis(0.5);
    }

    double minMillis() {
        return Arrays.stream(values, 0, size).min().orElse(0) / 1e6;
    }

    double meanMillis() {
        return Arrays.stream(values, 0, size).average().orElse(0) / 1e6;
    }
}
