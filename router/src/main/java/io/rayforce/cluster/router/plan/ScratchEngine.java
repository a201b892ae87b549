package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.ClientOptions;
import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.engine.NativeServer;
import io.rayforce.cluster.client.engine.ServerOptions;
import io.rayforce.cluster.client.ipc.IpcConnection;
import io.rayforce.cluster.client.ipc.ValueWriter;
import io.rayforce.cluster.client.ipc.Wire;
import io.rayforce.cluster.client.rayfall.DataPathGate;
import io.rayforce.cluster.client.rayfall.TreeWalk;
import io.rayforce.cluster.client.value.Lambda;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.coordinator.security.SecretFiles;
import io.rayforce.cluster.router.exec.NodeConnections;
import io.rayforce.cluster.router.exec.QueryContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;

/**
 * The router's own engine, for what cannot be distributed: the tables a query needs are loaded
 * into it (in insertion order, under names private to the query), the query runs there exactly
 * as on one server, and the tables are deleted. Started on first use, without a journal, bound
 * to loopback, with a random password known only to this process (so other local users cannot
 * use it); everything sent to it passes the data-path rule first ({@link DataPathGate}): the
 * query's tree may only compute, and the router's own requests may write only the query's own
 * globals.
 */
public final class ScratchEngine implements AutoCloseable {
    /** Rows per upload request are chosen so a request stays under this many bytes. */
    private static final long UPLOAD_BYTES = 64L * 1024 * 1024;

    private final String password = SecretFiles.randomText(24);
    private final NodeConnections connections = new NodeConnections(
            ClientOptions.DEFAULT.withMaxFrameBytes(Integer.MAX_VALUE - 8).withCredentials("rfc", password), 4);
    private NativeServer server;
    private NodeInfo address;
    private boolean closed;

    private synchronized NativeServer server() {
        if (closed) {
            throw new IllegalStateException("scratch engine is closed");
        }
        if (server == null || !server.isAlive()) {
            server = NativeServer.startOnFreePort(ServerOptions.onPort(1).bind("127.0.0.1").password(password));
            address = NodeInfo.newBuilder().setId("scratch").setHost(server.host()).setIpcPort(server.port()).build();
        }
        return server;
    }

    /**
     * Evaluates {@code tree} with the values in {@code inputs} (tables fetched from the cluster,
     * vectors and atoms merged at the router) bound to its names; the tree must pass
     * {@link DataPathGate#checkExpression}.
     */
    public RayValue evaluate(QueryContext ctx, Map<String, ? extends RayValue> inputs, RayValue tree) {
        String prefix = "__q" + ctx.id() + "_";
        Map<String, String> renames = new LinkedHashMap<>();
        for (String t : inputs.keySet()) {
            renames.put(t, prefix + t);
        }
        RayValue query = rename(tree, renames);
        DataPathGate.checkExpression(query);
        return run(ctx, inputs, renames, query, g -> g.startsWith(prefix));
    }

    /**
     * The engine's {@code (alter 'g op args...)} applied to {@code value} (a global's value, which
     * the engine alters only in place): the value becomes one of this query's globals on the
     * scratch engine, is altered there, and its new value is the answer. The engine's errors
     * ({@code index}, {@code type}, {@code domain}) come back as they are.
     *
     * @param opAndArgs the operation ({@code set}, {@code concat} or {@code remove}) and its
     *                  arguments, already evaluated
     */
    public RayValue altered(QueryContext ctx, RayValue value, List<RayValue> opAndArgs) {
        String prefix = "__q" + ctx.id() + "_";
        String global = prefix + "altered";
        List<RayValue> alter = new ArrayList<>(List.of(Name.of("alter"), Symbol.of(global)));
        for (RayValue a : opAndArgs) {
            alter.add(alter.size() == 2 ? a : quoted(a));
        }
        RayValue request = RayList.of(Name.of("do"), RayList.of(alter.toArray(RayValue[]::new)), Name.of(global));
        Predicate<String> own = g -> g.startsWith(prefix);
        DataPathGate.checkRequest(request, own);
        return run(ctx, Map.of("altered", value), Map.of("altered", global), request, own);
    }

    private RayValue run(QueryContext ctx, Map<String, ? extends RayValue> inputs, Map<String, String> renames, RayValue query,
            Predicate<String> own) {
        NodeInfo at;
        synchronized (this) {
            server();
            at = address;
        }
        // pooled connections, one request at a time each: a timeout closes only its own
        NodeConnections.Lease lease = await(connections.acquire(at));
        IpcConnection c = lease.connection();
        boolean healthy = false;
        ctx.onCancel(lease::cancel); // not lent again once a cancel was sent on it
        try {
            try {
                for (Map.Entry<String, ? extends RayValue> e : inputs.entrySet()) {
                    upload(c, ctx, renames.get(e.getKey()), e.getValue(), own);
                }
                RayValue v = await(c.request(query, ctx.remainingMillis()));
                healthy = true;
                return unrename(v, renames);
            } catch (RayforceEvaluationError e) {
                healthy = true; // the engine answered: the connection is fine
                throw e;
            } finally {
                if (!renames.isEmpty() && c.isOpen()) {
                    // awaited: the connection goes back to the pool with nothing in flight
                    for (String global : renames.values()) {
                        RayValue del = RayList.of(Name.of("del"), Name.of(global));
                        DataPathGate.checkRequest(del, own);
                        c.request(del, 10_000).exceptionally(e -> null).join();
                    }
                }
            }
        } finally {
            if (healthy) {
                lease.release();
            } else {
                lease.discard();
            }
        }
    }

    /** Evaluates a tree that names no cluster table. */
    public RayValue evaluate(QueryContext ctx, RayValue tree) {
        return evaluate(ctx, Map.of(), tree);
    }

    private void upload(IpcConnection c, QueryContext ctx, String global, RayValue value, Predicate<String> own) {
        if (!(value instanceof RayTable table)) {
            if (ValueWriter.sizeOf(value) > Wire.MAX_PAYLOAD_BYTES - 1024) {
                throw new IllegalStateException(global + " is too large to upload in one piece");
            }
            RayValue request = RayList.of(Name.of("count"), RayList.of(Name.of("set"), Name.of(global), quoted(value)));
            DataPathGate.checkRequest(request, own);
            await(c.request(request, ctx.remainingMillis()));
            return;
        }
        int rows = table.rowCount();
        long bytes = ValueWriter.sizeOf(table);
        int perChunk = rows == 0 ? 1 : (int) Math.max(1, Math.min(rows, rows * UPLOAD_BYTES / Math.max(1, bytes)));
        int from = 0;
        boolean first = true;
        do {
            int to = Math.min(rows, from + perChunk);
            RayTable chunk = from == 0 && to == rows ? table : table.slice(from, to);
            if (ValueWriter.sizeOf(chunk) > Wire.MAX_PAYLOAD_BYTES - 1024) {
                throw new IllegalStateException("a single row of " + global + " is too large to upload");
            }
            RayValue request = first
                    ? RayList.of(Name.of("count"), RayList.of(Name.of("set"), Name.of(global), chunk))
                    : RayList.of(Name.of("count"), RayList.of(Name.of("insert"), Symbol.of(global), chunk));
            DataPathGate.checkRequest(request, own);
            await(c.request(request, ctx.remainingMillis()));
            first = false;
            from = to;
        } while (from < rows);
    }

    /**
     * An answer with the query's private names turned back into the tables' own: a function the
     * query made (a closure over a select) names the tables as the client wrote them. Only a
     * function holds names; other answers are returned as they are.
     */
    static RayValue unrename(RayValue answer, Map<String, String> renames) {
        if (renames.isEmpty() || !TreeWalk.any(answer, x -> x instanceof Lambda)) {
            return answer;
        }
        Map<String, String> back = new LinkedHashMap<>();
        renames.forEach((table, global) -> back.put(global, table));
        return rename(answer, back);
    }

    /** A value as a literal the engine takes as it is: a list or dict is quoted (its items would be evaluated). */
    private static RayValue quoted(RayValue v) {
        return v instanceof RayList || v instanceof RayDict ? RayList.of(Name.of("quote"), v) : v;
    }

    /** {@code tree} with every name reference in {@code renames} replaced. */
    static RayValue rename(RayValue tree, Map<String, String> renames) {
        if (renames.isEmpty()) {
            return tree;
        }
        return TreeWalk.rewrite(tree, v -> v instanceof Name n && renames.containsKey(n.name()) ? Name.of(renames.get(n.name())) : v);
    }

    private static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RayforceEvaluationError ev) {
                throw new RayforceEvaluationError(ev.code(), "evaluated by the router");
            }
            throw new CompletionException(e.getCause());
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        connections.close();
        if (server != null) {
            server.close();
        }
    }
}
