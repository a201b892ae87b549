package io.rayforce.cluster.client;

import io.rayforce.cluster.client.ipc.IpcConnection;
import io.rayforce.cluster.client.ipc.Wire;
import io.rayforce.cluster.client.value.Encodable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Str;
import io.rayforce.cluster.client.rayfall.DataPathGate;
import io.rayforce.cluster.client.rayfall.RayfallReader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;

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
 *
 * <p><b>Several servers</b> ({@link #TCPClient(List, ClientOptions)}, e.g. a cluster's gateways):
 * the client connects to the first that answers, and when its connection breaks it moves on to
 * the next one and sends the request again there, transparently, when that cannot run anything
 * twice: a read (a request that only computes, by the cluster's own allowlist of side-effect-free
 * builtins, or one sent with {@link #executeReadOnly}), or any request the client can prove never
 * left it (the connection was gone before it was written). Any other request whose connection
 * broke may or may not have run, and fails as with one server. Timeouts are not retried.
 */
public final class TCPClient implements AutoCloseable {
    private final List<String> addresses;
    private final ClientOptions options;
    private final long requestTimeoutMillis;
    private final Object lock = new Object();
    /** Guarded by {@link #lock}: the connection, and the index of its address. */
    private IpcConnection connection;
    private int at;
    private volatile boolean closed;

    public TCPClient(String host, int port) {
        this(host, port, ClientOptions.DEFAULT);
    }

    public TCPClient(String host, int port, String user, String password) {
        this(host, port, ClientOptions.DEFAULT.withCredentials(user, password));
    }

    public TCPClient(String host, int port, ClientOptions options) {
        this(List.of(address(host, port)), options);
    }

    /**
     * A client of several servers that serve the same data, given as {@code host:port}: it
     * connects to the first that answers and fails over to the next (see above). Fails when none
     * answers, naming each and why.
     */
    public TCPClient(List<String> addresses, ClientOptions options) {
        if (addresses.isEmpty()) {
            throw new RayforceTCPError("no server address given");
        }
        addresses.forEach(TCPClient::split);
        this.addresses = List.copyOf(addresses);
        this.options = options;
        this.requestTimeoutMillis = options.requestTimeout().toMillis();
        synchronized (lock) {
            this.at = addresses.size() - 1;
            this.connection = connectNext(null);
        }
    }

    /** Evaluates Rayfall source text on the server and returns its value. */
    public RayValue execute(String rayfall) {
        return call(new Str(rayfall), rayfall, 0, () -> isRead(rayfall));
    }

    /** Evaluates a value or query object on the server and returns the result. */
    public RayValue execute(Encodable query) {
        RayValue value = query.ipc();
        return call(value, query, 0, () -> value instanceof Str text ? isRead(text.value()) : DataPathGate.isExpression(value));
    }

    /**
     * Evaluates a request that changes nothing (a read, a probe) and marks it so: it is sent with
     * the restricted header flag ({@link Wire#FLAG_RESTRICTED}), which the engine ignores when it
     * evaluates the request but records in its journal, whose replay then runs the entry as a
     * read-only client's. Such entries can never be replayed with effect, and a node agent drops
     * them from its journal. The flag is a promise the sender makes, not a check: a request that
     * writes still writes live. With several servers such a request is always sent again elsewhere
     * when its connection breaks.
     */
    public RayValue executeReadOnly(String rayfall) {
        return call(new Str(rayfall), rayfall, Wire.FLAG_RESTRICTED, () -> true);
    }

    /** As {@link #executeReadOnly(String)}, for a value or query object. */
    public RayValue executeReadOnly(Encodable query) {
        return call(query.ipc(), query, Wire.FLAG_RESTRICTED, () -> true);
    }

    /** Sends a request without waiting; requests are answered in the order they were sent. */
    public CompletableFuture<RayValue> submit(Encodable query) {
        ensureOpen();
        return connection().request(query.ipc());
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
        await(connection().post(query.ipc()), null);
    }

    /** Interrupts the request the server is running for this client; it fails with {@code cancel}. */
    public void cancel() {
        ensureOpen();
        await(current().cancel(), null);
    }

    public boolean isAlive() {
        return !closed && current().isOpen();
    }

    /** The address of the server this client is connected to now. */
    public String url() {
        synchronized (lock) {
            return addresses.get(at);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            current().close();
        }
    }

    @Override
    public String toString() {
        return "TCPClient(" + url() + ") - alive: " + isAlive();
    }

    /**
     * Sends one request and waits for its answer; with several servers, sends it again on the next
     * one when its connection broke and it cannot have run, or is a read.
     */
    private RayValue call(RayValue value, Object request, int flags, BooleanSupplier read) {
        ensureOpen();
        for (int attempt = 1; ; attempt++) {
            IpcConnection c = connection();
            CompletableFuture<RayValue> answer = c.request(value, requestTimeoutMillis, flags);
            try {
                return answer.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RayforceTCPError("interrupted while waiting for the server", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                boolean again = addresses.size() > 1 && attempt <= addresses.size() && !closed
                        && cause instanceof RayforceTCPError && !(cause instanceof RayforceProtocolError)
                        && !(cause instanceof RayforceTimeoutError)
                        && (cause instanceof RayforceNotSentError || read.getAsBoolean());
                if (!again) {
                    throw rethrown(cause, request);
                }
                // the connection broke: the next server (connection() moves on from a dead one)
                c.close();
            }
        }
    }

    /** The current connection, or, with several servers when it broke, one to the next server that answers. */
    private IpcConnection connection() {
        synchronized (lock) {
            if (addresses.size() > 1 && !connection.isOpen() && !closed) {
                connection = connectNext(connection);
            }
            return connection;
        }
    }

    private IpcConnection current() {
        synchronized (lock) {
            return connection;
        }
    }

    /** Under the lock: connects to the servers in turn, from the one after the current; fails naming each when none answers. */
    private IpcConnection connectNext(IpcConnection broken) {
        List<String> failures = new ArrayList<>();
        for (int i = 1; i <= addresses.size(); i++) {
            int next = (at + i) % addresses.size();
            String[] hp = split(addresses.get(next));
            try {
                IpcConnection c = await(IpcConnection.open(hp[0], Integer.parseInt(hp[1]), options), null);
                at = next;
                return c;
            } catch (RayforceTCPError e) {
                if (addresses.size() == 1) {
                    throw e;
                }
                failures.add(e.getMessage());
            }
        }
        throw new RayforceNotSentError("cannot connect to any of " + addresses + ": " + String.join("; ", failures)
                + (broken == null ? "" : " (the connection to " + broken.peer() + " broke)"));
    }

    private static String address(String host, int port) {
        if (port < 1 || port > 65535) {
            throw new RayforceTCPError("invalid port " + port + ": must be 1..65535");
        }
        return host + ":" + port;
    }

    /** {@code host:port} as its two parts; fails clearly on anything else. */
    private static String[] split(String address) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new RayforceTCPError("invalid server address '" + address + "': expected host:port");
        }
        String host = address.substring(0, colon);
        String port = address.substring(colon + 1);
        try {
            address(host, Integer.parseInt(port));
        } catch (NumberFormatException e) {
            throw new RayforceTCPError("invalid port in '" + address + "'");
        }
        return new String[] {host, port};
    }

    /** Whether Rayfall text only computes (a read): parsed, and passed through the cluster's allowlist. */
    private static boolean isRead(String rayfall) {
        try {
            return DataPathGate.isExpression(RayfallReader.read(rayfall));
        } catch (RuntimeException e) {
            return false;
        }
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
            throw rethrown(e.getCause(), request);
        }
    }

    /** A failure from another thread as one raised on this thread, naming {@code request} for engine errors. */
    private static RayforceError rethrown(Throwable c, Object request) {
        if (c instanceof RayforceEvaluationError ev) {
            return new RayforceEvaluationError(ev.code(), request == null ? null : abbreviate(String.valueOf(request)));
        }
        if (c instanceof RayforceProtocolError) {
            return new RayforceProtocolError(c.getMessage());
        }
        if (c instanceof RayforceNotSentError) {
            return new RayforceNotSentError(c.getMessage(), c);
        }
        if (c instanceof RayforceTimeoutError) {
            return new RayforceTimeoutError(c.getMessage());
        }
        if (c instanceof RayforceTCPError t) {
            return new RayforceTCPError(t.getMessage(), t);
        }
        if (c instanceof RayforceError r) {
            return new RayforceError(r.getMessage(), r);
        }
        return new RayforceTCPError(String.valueOf(c), c);
    }
}
