package io.rayforce.cluster.router.gateway;

import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Failed handshakes counted per key (a client address, or an address and a user name), and the
 * delay that follows them: the first {@code freeFailures} cost nothing; after that each attempt
 * under the key waits before it is checked, {@link #FIRST_DELAY} after the {@code freeFailures}th
 * failure, doubling with every further failure up to {@link #MAX_DELAY}. Attempts under one key
 * are admitted one delay apart even when they arrive together, so opening many connections at
 * once does not speed guessing up. A success clears the key; keys unused for
 * {@link #FORGET_AFTER} are forgotten.
 */
final class FailedLogins {
    static final Duration FIRST_DELAY = Duration.ofMillis(500);
    static final Duration MAX_DELAY = Duration.ofSeconds(30);
    static final Duration FORGET_AFTER = Duration.ofMinutes(15);
    private static final int SWEEP_EVERY = 1024;

    private final int freeFailures;
    private final LongSupplier nanoClock;
    private final Map<String, Entry> entries = new HashMap<>();
    private int operations;

    private static final class Entry {
        int failures;
        long notBefore;
        long lastUsed;
    }

    FailedLogins(int freeFailures, LongSupplier nanoClock) {
        this.freeFailures = freeFailures;
        this.nanoClock = nanoClock;
    }

    FailedLogins(int freeFailures) {
        this(freeFailures, System::nanoTime);
    }

    /** The delay for the {@code failures}th failure in a row (zero below the free ones). */
    Duration delayAfter(int failures) {
        if (failures < freeFailures) {
            return Duration.ZERO;
        }
        int doublings = Math.min(failures - freeFailures, 16);
        long ms = Math.min(MAX_DELAY.toMillis(), FIRST_DELAY.toMillis() << doublings);
        return Duration.ofMillis(ms);
    }

    /** How long an attempt under {@code key} must wait before it is checked (and reserves that turn). */
    synchronized Duration admit(String key) {
        long now = nanoClock.getAsLong();
        Entry e = live(key, now);
        if (e == null || e.failures < freeFailures) {
            return Duration.ZERO;
        }
        long start = Math.max(now, e.notBefore);
        e.notBefore = start + delayAfter(e.failures).toNanos();
        e.lastUsed = now;
        return Duration.ofNanos(start - now);
    }

    /** Counts a failure under {@code key}; returns the failures in a row so far. */
    synchronized int failed(String key) {
        long now = nanoClock.getAsLong();
        sweep(now);
        Entry e = live(key, now);
        if (e == null) {
            e = new Entry();
            entries.put(key, e);
        }
        e.failures++;
        e.lastUsed = now;
        if (e.failures >= freeFailures) {
            e.notBefore = Math.max(e.notBefore, now + delayAfter(e.failures).toNanos());
        }
        return e.failures;
    }

    /** Clears {@code key} after a successful handshake. */
    synchronized void succeeded(String key) {
        entries.remove(key);
    }

    /** Failures in a row under {@code key}. */
    synchronized int failures(String key) {
        Entry e = live(key, nanoClock.getAsLong());
        return e == null ? 0 : e.failures;
    }

    private Entry live(String key, long now) {
        Entry e = entries.get(key);
        if (e != null && now - e.lastUsed > FORGET_AFTER.toNanos() && now - e.notBefore > 0) {
            entries.remove(key);
            return null;
        }
        return e;
    }

    private void sweep(long now) {
        if (++operations % SWEEP_EVERY != 0) {
            return;
        }
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (now - e.lastUsed > FORGET_AFTER.toNanos() && now - e.notBefore > 0) {
                it.remove();
            }
        }
    }
}
