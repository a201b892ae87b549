package io.rayforce.cluster.deploy;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.rayforce.cluster.coordinator.proto.ControlServiceGrpc;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import picocli.CommandLine;

/**
 * The admin commands' connection to a coordinator: a plaintext gRPC channel to {@code HOST:PORT}
 * and one call with a deadline. A failure becomes one clear line on stderr (what failed, the gRPC
 * code, the coordinator's message) and exit code 1; never a stack trace.
 */
final class ControlClient {
    /** Exit code when the coordinator refused the request or could not be reached. */
    static final int FAILED = 1;

    private ControlClient() {
    }

    /** Something the admin command tells the user instead of a result (exit code 1). */
    static final class Failure extends Exception {
        Failure(String message) {
            super(message);
        }
    }

    /**
     * Calls the coordinator at {@code address}; on failure prints "{@code what} failed: ..." to
     * {@code err} and throws {@link Failure}.
     */
    static <T> T call(String address, Duration timeout, String what,
            Function<ControlServiceGrpc.ControlServiceBlockingStub, T> op) throws Failure {
        int colon = address.lastIndexOf(':');
        int port;
        try {
            port = colon <= 0 ? -1 : Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port <= 0 || port > 65535) {
            throw new Failure("invalid --coordinator '" + address + "': use HOST:PORT");
        }
        ManagedChannel channel = NettyChannelBuilder.forAddress(address.substring(0, colon), port).usePlaintext().build();
        try {
            return op.apply(ControlServiceGrpc.newBlockingStub(channel).withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (StatusRuntimeException e) {
            Status s = e.getStatus();
            String detail = s.getCode() == Status.Code.UNAVAILABLE && (s.getDescription() == null || s.getDescription().startsWith("io exception"))
                    ? "no coordinator answers at " + address
                    : s.getDescription() == null ? "" : s.getDescription();
            throw new Failure(what + " failed: " + s.getCode() + (detail.isEmpty() ? "" : ": " + detail));
        } finally {
            channel.shutdownNow();
            try {
                channel.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Prints a failure for the user and returns the exit code. */
    static int report(CommandLine.Model.CommandSpec spec, Failure f) {
        PrintWriter err = spec.commandLine().getErr();
        err.println(f.getMessage());
        err.flush();
        return FAILED;
    }
}
