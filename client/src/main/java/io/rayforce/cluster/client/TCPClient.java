package io.rayforce.cluster.client;

import io.rayforce.cluster.client.ipc.IpcConnection;
import io.rayforce.cluster.client.ipc.Wire;
import io.rayforce.cluster.client.value.Encodable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Str;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A client for one Rayforce IPC server, mirroring rayforce-py's {@code TCPClient}:
 *
 * <pre>{@code
 * try (TCPClient client = new TCPClient("localhost", 5000)) {
 *     RayValue three = client.execute("(+ 1 2)");
 * }
 * }</pre>
 *
 * Strings are sent as Rayfall source; values and query objects as the expressions they compile
 * to. Connection failures, refused passwords, timeouts and use after {@link #close()} raise
 * {@link RayforceTCPError}; an error answered by the engine raises
 * {@link RayforceEvaluationError} with its code and leaves the connection usable. Requests from
 * several threads are pipelined on the one connection.
 */
public final class TCPClient implements AutoCloseable {
    private final String host;
    private final int port;
    private final IpcConnection connection;
    private final long requestTimeoutMillis;
    private volatile boolean closed;

    public TCPClient(String host, int port) {
        this(host, port, ClientOptions.DEFAULT);
    }

    public TCPClient(String host, int port, String user, String password) {
        this(host, port, ClientOptions.DEFAULT.withCredentials(user, password));
    }

    public TCPClient(String host, int port, ClientOptions options) {
        if (port < 1 || port > 65535) {
            throw new RayforceTCPError("invalid port " + port + ": must be 1..65535");
        }
        this.host = host;
        this.port = port;
        this.requestTimeoutMillis = options.requestTimeout().toMillis();
        this.connection = await(IpcConnection.open(host, port, options), null);
    }

    /** Evaluates Rayfall source text on the server and returns its value. */
    public RayValue execute(String rayfall) {
        return await(submit(rayfall), rayfall);
    }

    /** Evaluates a value or query object on the server and returns the result. */
    public RayValue execute(Encodable query) {
        return await(submit(query), query);
    }

    /**
     * Evaluates a request that changes nothing (a read, a probe) and marks it so: it is sent with
     * the restricted header flag ({@link Wire#FLAG_RESTRICTED}), which the engine ignores when it
     * evaluates the request but records in its journal, whose replay then runs the entry as a
     * read-only client's. Such entries can never be replayed with effect, and a node agent drops
     * them from its journal. The flag is a promise the sender makes, not a check: a request that
     * writes still writes live.
     */
    public RayValue executeReadOnly(String rayfall) {
        return await(submitReadOnly(new Str(rayfall)), rayfall);
    }

    /** As {@link #executeReadOnly(String)}, for a value or query object. */
    public RayValue executeReadOnly(Encodable query) {
        return await(submitReadOnly(query), query);
    }

    private CompletableFuture<RayValue> submitReadOnly(Encodable query) {
        ensureOpen();
        return connection.request(query.ipc(), requestTimeoutMillis, Wire.FLAG_RESTRICTED);
    }

    /** Sends a request without waiting; requests are answered in the order they were sent. */
    public CompletableFuture<RayValue> submit(Encodable query) {
        ensureOpen();
        return connection.request(query.ipc());
    }

    public CompletableFuture<RayValue> submit(String rayfall) {
        return submit(new Str(rayfall));
    }

    /** Fire and forget: the server evaluates the message and sends nothing back. */
    public void sendAsync(String rayfall) {
        sendAsync(new Str(rayfall));
    }

    public void sendAsync(Encodable query) {
        ensureOpen();
        await(connection.post(query.ipc()), null);
    }

    /** Interrupts the request the server is running for this client; it fails with {@code cancel}. */
    public void cancel() {
        ensureOpen();
        await(connection.cancel(), null);
    }

    public boolean isAlive() {
        return !closed && connection.isOpen();
    }

    public String url() {
        return host + ":" + port;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            connection.close();
        }
    }

    @Override
    public String toString() {
        return "TCPClient(" + url() + ") - alive: " + isAlive();
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    private void ensureOpen() {
        if (closed) {
            throw new RayforceTCPError("cannot send on a closed connection to " + url());
        }
    }

    /** Waits for {@code f}; rethrows its failure from this thread, naming {@code request} for engine errors. */
    private static <T> T await(CompletableFuture<T> f, Object request) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RayforceTCPError("interrupted while waiting for the server", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RayforceEvaluationError ev) {
                throw new RayforceEvaluationError(ev.code(), request == null ? null : abbreviate(String.valueOf(request)));
            }
            if (c instanceof RayforceTCPError t) {
                throw t instanceof RayforceProtocolError ? new RayforceProtocolError(t.getMessage())
                        : new RayforceTCPError(t.getMessage(), t);
            }
            if (c instanceof RayforceError r) {
                throw new RayforceError(r.getMessage(), r);
            }
            throw new RayforceTCPError(String.valueOf(c), c);
        }
    }
}
