package io.rayforce.cluster.coordinator.server;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;

/** The placement leader's thread pools: their threads, and waiting for the work they run. */
final class Workers {
    private Workers() {
    }

    /** Daemon threads named {@code name}: a leader's pools never keep the process alive. */
    static ThreadFactory daemons(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Waits for every future; the first failure is thrown as the exception it completed with. */
    static void awaitAll(List<CompletableFuture<Void>> futures) throws Exception {
        try {
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException ce && ce.getCause() != null ? ce.getCause() : e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
    }
}
