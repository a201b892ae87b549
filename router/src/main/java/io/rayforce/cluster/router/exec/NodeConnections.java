package io.rayforce.cluster.router.exec;

import io.rayforce.cluster.client.ClientOptions;
import io.rayforce.cluster.client.RayforceTCPError;
import io.rayforce.cluster.client.ipc.IpcConnection;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.coordinator.security.ClusterSecurity;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Pooled IPC connections to the nodes' engines, at most {@code maxPerNode} per node, each
 * carrying one request at a time: a timeout or a cancel then touches only its own request
 * (responses carry no id, and an engine cancels whatever runs on the connection).
 *
 * <p>With a cluster secret every connection sends the engine's password for its current boot
 * (derived from the secret, the node id and the boot nonce the node publishes). A node whose
 * engine restarted has a new nonce: its connections of the old boot are closed and new ones
 * are opened with the new password.
 */
public final class NodeConnections implements AutoCloseable {
    /** The user name routers send to engines (the engine checks only the password). */
    public static final String ENGINE_USER = "rfc";

    private final ClientOptions options;
    private final int maxPerNode;
    private final ClusterSecurity security;
    private final Map<String, Pool> pools = new HashMap<>();
    private final NodeReachability reachability;
    private boolean closed;

    /** Connections to engines without passwords. */
    public NodeConnections(ClientOptions options, int maxPerNode) {
        this(options, maxPerNode, ClusterSecurity.NONE);
    }

    /** Connections that send each engine its password when {@code security} has the cluster secret. */
    public NodeConnections(ClientOptions options, int maxPerNode, ClusterSecurity security) {
        if (maxPerNode < 1) {
            throw new IllegalArgumentException("need at least one connection per node, got " + maxPerNode);
        }
        this.options = options;
        this.maxPerNode = maxPerNode;
        this.security = security;
        this.reachability = new NodeReachability(Executor.WATCH, security);
    }

    /** Whether a node is still there to answer (shared by every unit waiting on it). */
    public NodeReachability reachability() {
        return reachability;
    }

    /** A connection to {@code node} for one request; completes when one is free. */
    public CompletableFuture<Lease> acquire(NodeInfo node) {
        String address = node.getHost() + ":" + node.getIpcPort();
        Pool pool;
        Pool old = null;
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(new RayforceTCPError("router connections are closed"));
            }
            pool = pools.get(address);
            if (pool == null || !pool.bootNonce.equals(node.getBootNonce())) {
                old = pool;
                pool = new Pool(node.getHost(), node.getIpcPort(), node.getBootNonce(), optionsFor(node));
                pools.put(address, pool);
            }
        }
        if (old != null) {
            old.close(); // the engine of that boot is gone: its password no longer works
        }
        return pool.acquire();
    }

    private ClientOptions optionsFor(NodeInfo node) {
        String password = security.enginePassword(node.getId(), node.getBootNonce());
        return password == null ? options : options.withCredentials(ENGINE_USER, password);
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        pools.values().forEach(Pool::close);
        reachability.close();
    }

    /** A connection checked out of the pool; give it back with {@link #release()} or {@link #discard()}. */
    public final class Lease {
        private final Pool pool;
        private final IpcConnection connection;
        private boolean returned;
        private boolean cancelSent;

        Lease(Pool pool, IpcConnection connection) {
            this.pool = pool;
            this.connection = connection;
        }

        public IpcConnection connection() {
            return connection;
        }

        /**
         * Asks the engine to interrupt what this lease runs on the connection, unless the lease
         * was already given back. A connection a cancel was sent on is never reused: the urgent
         * byte may reach the engine after the request ended, and must not cancel a request of
         * whoever the pool would lend the connection to next.
         */
        public synchronized void cancel() {
            if (!returned) {
                cancelSent = true;
                connection.cancel();
            }
        }

        /** Returns a healthy connection for reuse (closes it instead when a cancel was sent on it). */
        public synchronized void release() {
            if (cancelSent) {
                discard();
            } else if (!returned) {
                returned = true;
                pool.giveBack(connection.isOpen() ? connection : null);
            }
        }

        /** Closes the connection (after a timeout or failure) instead of reusing it. */
        public synchronized void discard() {
            if (!returned) {
                returned = true;
                connection.close();
                pool.giveBack(null);
            }
        }

        /** Like {@link #discard}, closing the connection with a reset: nothing it still holds is delivered later. */
        public synchronized void abort() {
            if (!returned) {
                returned = true;
                connection.abort();
                pool.giveBack(null);
            }
        }
    }

    private final class Pool {
        private final String host;
        private final int port;
        private final String bootNonce;
        private final ClientOptions poolOptions;
        private final ArrayDeque<IpcConnection> idle = new ArrayDeque<>();
        private final ArrayDeque<CompletableFuture<Lease>> waiting = new ArrayDeque<>();
        private int open;
        private boolean poolClosed;

        Pool(String host, int port, String bootNonce, ClientOptions poolOptions) {
            this.host = host;
            this.port = port;
            this.bootNonce = bootNonce;
            this.poolOptions = poolOptions;
        }

        CompletableFuture<Lease> acquire() {
            CompletableFuture<Lease> f = new CompletableFuture<>();
            boolean connect = false;
            synchronized (this) {
                IpcConnection c;
                while ((c = idle.poll()) != null) {
                    if (c.isOpen()) {
                        f.complete(new Lease(this, c));
                        return f;
                    }
                    open--;
                }
                if (open < maxPerNode) {
                    open++;
                    connect = true;
                } else {
                    waiting.add(f);
                }
            }
            if (connect) {
                IpcConnection.open(host, port, poolOptions).whenComplete((c, e) -> {
                    if (e != null) {
                        synchronized (this) {
                            open--;
                        }
                        f.completeExceptionally(e instanceof CompletionException ? e.getCause() : e);
                        wakeOne();
                    } else {
                        f.complete(new Lease(this, c));
                    }
                });
            }
            return f;
        }

        /** A connection comes back (null when it was closed). */
        void giveBack(IpcConnection c) {
            CompletableFuture<Lease> next;
            synchronized (this) {
                if (poolClosed) {
                    if (c != null) {
                        c.close();
                    }
                    return;
                }
                if (c == null) {
                    open--;
                    next = null;
                } else {
                    next = waiting.poll();
                    if (next == null) {
                        idle.add(c);
                        return;
                    }
                }
            }
            if (next != null) {
                next.complete(new Lease(this, c));
            } else {
                wakeOne();
            }
        }

        /** A slot freed up: let a waiter open a new connection. */
        private void wakeOne() {
            CompletableFuture<Lease> next;
            synchronized (this) {
                next = waiting.poll();
            }
            if (next != null) {
                acquire().whenComplete((l, e) -> {
                    if (e != null) {
                        next.completeExceptionally(e);
                    } else {
                        next.complete(l);
                    }
                });
            }
        }

        void close() {
            synchronized (this) {
                poolClosed = true;
                idle.forEach(IpcConnection::close);
                idle.clear();
                waiting.forEach(w -> w.completeExceptionally(new RayforceTCPError("router connections are closed")));
                waiting.clear();
            }
        }
    }
}
