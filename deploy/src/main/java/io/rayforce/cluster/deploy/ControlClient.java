package io.rayforce.cluster.deploy;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.rayforce.cluster.coordinator.proto.ControlServiceGrpc;
import io.rayforce.cluster.coordinator.security.GrpcChannels;
import io.rayforce.cluster.coordinator.security.GrpcTls;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import picocli.CommandLine;

/**
 * The admin commands' connection to a coordinator: a gRPC channel to {@code HOST:PORT} (TLS and
 * the admin token when given, {@link AdminAuthOptions}) and one call with a deadline. A failure becomes one clear line on stderr (what failed, the gRPC
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
    static <T> T call(CoordinatorOptions coordinator, String what,
            Function<ControlServiceGrpc.ControlServiceBlockingStub, T> op) throws Failure {
        return call(coordinator.address, coordinator.timeout, coordinator.auth, what, op);
    }

    static <T> T call(String address, Duration timeout, AdminAuthOptions auth, String what,
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
        GrpcTls tls;
        String token;
        try {
            tls = auth == null ? null : auth.tls();
            token = auth == null ? null : auth.token();
        } catch (IllegalArgumentException e) {
            throw new Failure(what + " failed: " + e.getMessage());
        }
        ManagedChannel channel = GrpcChannels.open(address.substring(0, colon), port, tls, token);
        try {
            return op.apply(ControlServiceGrpc.newBlockingStub(channel).withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (StatusRuntimeException e) {
            throw new Failure(what + " failed: " + describe(e.getStatus(), address, tls != null));
        } finally {
            channel.shutdownNow();
            try {
                channel.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One line for a failed call: the code and what the coordinator (or the connection) said, with a hint for TLS trouble. */
    static String describe(Status s, String address, boolean tls) {
        Throwable cause = s.getCause();
        while (cause != null && !(cause instanceof javax.net.ssl.SSLException) && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        if (cause instanceof javax.net.ssl.SSLException ssl) {
            return s.getCode() + ": the TLS handshake with " + address + " failed (" + ssl.getMessage()
                    + "); check --tls-ca and, for mutual TLS, --tls-cert and --tls-key";
        }
        if (s.getCode() == Status.Code.UNAVAILABLE && (s.getDescription() == null || s.getDescription().startsWith("io exception")
                || s.getDescription().startsWith("Network closed"))) {
            return s.getCode() + ": no coordinator answers at " + address + (tls ? "" : " (if it uses TLS, pass --tls-ca)");
        }
        return s.getCode() + (s.getDescription() == null ? "" : ": " + s.getDescription());
    }

    /** What a command prints for a coordinator's response. */
    @FunctionalInterface
    interface Answer<T> {
        /** The text to print, its line ends included. */
        String text(T response) throws Exception;
    }

    /**
     * Calls the coordinator and prints what {@code answer} makes of the response, or reports the
     * failure; returns the exit code.
     */
    static <T> int answer(CommandLine.Model.CommandSpec spec, CoordinatorOptions coordinator, String what,
            Function<ControlServiceGrpc.ControlServiceBlockingStub, T> op, Answer<T> answer) throws Exception {
        try {
            T response = call(coordinator, what, op);
            PrintWriter out = spec.commandLine().getOut();
            out.print(answer.text(response));
            out.flush();
            return 0;
        } catch (Failure f) {
            return report(spec, f);
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
