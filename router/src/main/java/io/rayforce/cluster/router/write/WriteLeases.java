package io.rayforce.cluster.router.write;

import io.rayforce.cluster.coordinator.store.ReadLeases;
import io.rayforce.cluster.router.read.ReadLocks;
import io.rayforce.cluster.router.services.ClusterServices;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;

/**
 * This router's write leases, one {@link TableAppender} per table it has written to (docs/router.md,
 * Write leases). Its reads of a table whose lease it holds go through that lease's gate
 * ({@link ReadLocks.LocalLeases}). A lost ZooKeeper session makes every lease go; while the
 * connection is only suspended a lease stays, and each of its requests is sent only once the write
 * fence proves the session holding its write lock alive (docs/router.md, Write leases and the write fence).
 */
final class WriteLeases implements ReadLocks.LocalLeases, AutoCloseable {
    private final WriteKit kit;
    private final ConcurrentHashMap<String, TableAppender> appenders = new ConcurrentHashMap<>();
    private final ConnectionStateListener connection = (client, state) -> {
        if (state == ConnectionState.LOST) {
            appenders.values().forEach(TableAppender::contend);
        }
    };
    private ClusterServices listeningTo;

    WriteLeases(WriteKit kit) {
        this.kit = kit;
    }

    /** The appender of {@code table} on this router. */
    TableAppender of(String table) {
        listen();
        return appenders.computeIfAbsent(table, t -> new TableAppender(kit, t, () -> divert(t, true), () -> divert(t, false)));
    }

    @Override
    public ReadLeases.Held joinIfHeld(String table, long deadlineNanos) throws TimeoutException {
        TableAppender a = appenders.get(table);
        return a == null ? null : a.joinRead(deadlineNanos);
    }

    /**
     * Whether this router holds the table's write lease now. A read that went through the lease
     * (it holds the lease's gate) can rely on it: the lease is not let go while a read holds the gate.
     */
    boolean heldHere(String table) {
        TableAppender a = appenders.get(table);
        return a != null && a.held();
    }

    private void divert(String table, boolean on) {
        ClusterServices s = kit.servicesIfAny();
        if (s != null) {
            if (on) {
                s.readLeases().divert(table);
            } else {
                s.readLeases().undivert(table);
            }
        }
    }

    private synchronized void listen() {
        ClusterServices s = kit.servicesIfAny();
        if (s != null && listeningTo != s) {
            s.curator().getConnectionStateListenable().addListener(connection);
            listeningTo = s;
        }
    }

    @Override
    public void close() {
        appenders.values().forEach(TableAppender::close);
        synchronized (this) {
            if (listeningTo != null) {
                listeningTo.curator().getConnectionStateListenable().removeListener(connection);
            }
        }
    }
}
