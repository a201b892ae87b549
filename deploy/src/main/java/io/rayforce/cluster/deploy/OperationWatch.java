package io.rayforce.cluster.deploy;

import io.rayforce.cluster.coordinator.proto.OperationProgress;
import io.rayforce.cluster.coordinator.proto.ProgressReport;
import io.rayforce.cluster.coordinator.proto.ProgressRequest;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Shows the progress of a coordinator operation a command waits for ({@code rfc rebalance --wait},
 * {@code rfc node drain --wait}): the command's call runs on another thread while this one asks
 * the coordinator's {@code GetProgress} for the operation (named by the id the command sent with
 * it) twice a second and draws shards done of total, bytes copied and the copy rate.
 */
final class OperationWatch {
    private static final long POLL_MILLIS = 500;

    private OperationWatch() {
    }

    /** A fresh operation id for a request. */
    static String newId(String kind) {
        return "rfc-" + kind + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The command's call that waits for the operation. */
    @FunctionalInterface
    interface Call<T> {
        T call() throws ControlClient.Failure;
    }

    /** Runs {@code call}, drawing the progress of operation {@code id} until it returns; answers what it answered. */
    static <T> T run(String address, AdminAuthOptions auth, String id, String label, PrintStream out, ProgressBar.Mode mode, Call<T> call)
            throws ControlClient.Failure {
        CompletableFuture<T> result = CompletableFuture.supplyAsync(() -> {
            try {
                return call.call();
            } catch (ControlClient.Failure f) {
                throw new CompletionException(f);
            }
        });
        ProgressBar bar = new ProgressBar(out, mode, label);
        OperationProgress last = null;
        while (true) {
            try {
                T value = result.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
                OperationProgress end = poll(address, auth, id);
                bar.done(end != null ? summary(end) : last != null ? summary(last) : label + ": done");
                return value;
            } catch (TimeoutException e) {
                OperationProgress p = poll(address, auth, id);
                if (p != null) {
                    last = p;
                    bar.update(p.getShardsTotal() == 0 ? -1 : (double) (p.getShardsDone() + p.getShardsFailed()) / p.getShardsTotal(),
                            detail(p));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ControlClient.Failure(label + ": interrupted");
            } catch (ExecutionException e) {
                if (last != null) {
                    bar.done(summary(last));
                }
                if (e.getCause() instanceof CompletionException ce && ce.getCause() instanceof ControlClient.Failure f) {
                    throw f;
                }
                if (e.getCause() instanceof ControlClient.Failure f) {
                    throw f;
                }
                throw new ControlClient.Failure(label + " failed: " + e.getCause());
            }
        }
    }

    /** The operation's progress, or null when the coordinator does not answer (yet). */
    static OperationProgress poll(String address, AdminAuthOptions auth, String id) {
        try {
            ProgressReport r = ControlClient.call(address, Duration.ofSeconds(5), auth, "progress",
                    stub -> stub.getProgress(ProgressRequest.newBuilder().setOperationId(id).build()));
            return r.getOperationsCount() == 0 ? null : r.getOperations(0);
        } catch (ControlClient.Failure f) {
            return null;
        }
    }

    /** {@code shards 3/8  120.3 MB copied  40.1 MB/s  0:03}. */
    static String detail(OperationProgress p) {
        double seconds = p.getElapsedMs() / 1000.0;
        return String.format(Locale.ROOT, "shards %d/%d%s  %s copied  %.1f MB/s  %s", p.getShardsDone(), p.getShardsTotal(),
                p.getShardsFailed() == 0 ? "" : " (" + p.getShardsFailed() + " failed)", ProgressBar.mb(p.getBytesCopied()),
                seconds <= 0 ? 0.0 : p.getBytesCopied() / 1e6 / seconds, ProgressBar.duration(seconds));
    }

    static String summary(OperationProgress p) {
        return p.getKind() + ": " + detail(p) + (p.getLastError().isEmpty() ? "" : "; last failure: " + p.getLastError());
    }
}
