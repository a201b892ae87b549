package io.rayforce.cluster.client.testing;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The contract every fuzz target checks: hostile input gets a valid value or a clear error of a
 * documented type, nothing else; and decoding it allocates memory in proportion to the input,
 * never what a length field merely claims. An exception of any other type, or an allocation
 * past the bound, is thrown as an {@link AssertionError}, which Jazzer reports as a finding
 * A target runs each input {@link #withinTime within a time bound}, so a hang is a finding in
 * the regression run of {@code mvn verify} as well as while fuzzing.
 */
public final class FuzzContract {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /**
     * Runs the inputs, one at a time; a thread stuck in a hang is left behind (the test has
     * failed). Its threads have 64 MiB stacks: Jazzer's instrumentation makes every frame bigger,
     * and nesting the decoders accept (512 levels) must not overflow only because of that
     * ({@code HostilePayloadTest} checks the depth on an ordinary thread).
     */
    private static final ExecutorService RUNNER = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(null, r, "fuzz-input", 64L * 1024 * 1024);
        t.setDaemon(true);
        return t;
    });

    private FuzzContract() {
    }

    /**
     * Runs {@code input} on another thread and waits at most {@code limit}: no answer by then is
     * a hang and fails. What it throws is rethrown as it is.
     */
    public static void withinTime(Duration limit, Runnable input) {
        Future<?> f = RUNNER.submit(input);
        try {
            f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new AssertionError("no answer within " + limit + ": the input hangs");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new AssertionError(e.getCause());
        }
    }

    /** Something that may fail with a clear error. */
    @FunctionalInterface
    public interface Attempt<T> {
        T run() throws Exception;
    }

    /**
     * Runs {@code attempt}: its value, or null when it failed with one of the {@code allowed}
     * exception types (the clear error). Any other exception breaks the contract.
     */
    @SafeVarargs
    public static <T> T valueOrClearError(Attempt<T> attempt, Class<? extends Throwable>... allowed) {
        try {
            return attempt.run();
        } catch (Throwable t) {
            for (Class<? extends Throwable> ok : allowed) {
                if (ok.isInstance(t)) {
                    if (t.getMessage() == null || t.getMessage().isBlank()) {
                        throw new AssertionError("a " + t.getClass().getSimpleName() + " without a message is not a clear error", t);
                    }
                    return null;
                }
            }
            throw new AssertionError("contract broken: " + t.getClass().getName() + " is not one of the documented errors "
                    + Arrays.stream(allowed).map(Class::getSimpleName).toList(), t);
        }
    }

    /** Bytes the calling thread has allocated since it started (HotSpot's per-thread counter). */
    public static long allocatedBytes() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    /**
     * Fails when {@code step} allocates more than {@code perInputByte} bytes per input byte plus
     * {@code slack} on the calling thread. A step over the bound is measured once more before it
     * fails: the first run of a code path also pays for loading (and instrumenting) its classes,
     * which a repeated input does not, while a real amplification repeats.
     */
    public static void assertAllocationBounded(String what, int inputBytes, long perInputByte, long slack, Runnable step) {
        long bound = inputBytes * perInputByte + slack;
        long used = measure(step);
        if (used > bound && (used = measure(step)) > bound) {
            throw new AssertionError(what + " allocated " + used + " bytes for " + inputBytes + " bytes of input (bound "
                    + bound + " = " + perInputByte + " per input byte + " + slack + ")");
        }
    }

    private static long measure(Runnable step) {
        long before = allocatedBytes();
        step.run();
        return allocatedBytes() - before;
    }
}
