package io.rayforce.cluster.router.gateway;

import io.rayforce.cluster.client.ipc.Wire;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link Gateway}: how clients authenticate (a users file of named users with
 * bcrypt hashes and roles, or one password for everyone as an engine started with {@code -u}, or
 * nothing), the per-query timeout (zero: none), the number of worker threads
 * that run queries and how many connections may wait for one, the largest result sent in one
 * frame, whether replies to non-loopback peers are compressed as the engine does, how long a
 * new connection may take to finish its handshake, and what one client may take
 * ({@link GatewayLimits}).
 */
public record GatewayOptions(String password, Duration queryTimeout, int workers, int queuedConnections,
                             long maxResultBytes, boolean compressRemote, Duration handshakeTimeout, Path usersFile,
                             GatewayLimits limits) {
    /** No password, 60 s per query, 32 workers, results up to the engine's 256 MiB frame limit, compression on. */
    public static final GatewayOptions DEFAULT = new GatewayOptions(null, Duration.ofSeconds(60), 32, 4096,
            Wire.MAX_PAYLOAD_BYTES, true, Duration.ofSeconds(30), null, GatewayLimits.DEFAULT);

    public GatewayOptions {
        Objects.requireNonNull(queryTimeout, "queryTimeout");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        Objects.requireNonNull(limits, "limits");
        if (queryTimeout.isNegative()) {
            throw new IllegalArgumentException("query timeout must not be negative (zero means none), got " + queryTimeout);
        }
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("handshake timeout must be positive, got " + handshakeTimeout);
        }
        if (workers < 1) {
            throw new IllegalArgumentException("need at least one worker thread, got " + workers);
        }
        if (queuedConnections < 1) {
            throw new IllegalArgumentException("the worker queue must hold at least one connection, got " + queuedConnections);
        }
        if (maxResultBytes < 16 || maxResultBytes > Integer.MAX_VALUE - 32) {
            throw new IllegalArgumentException("max result bytes must be 16.." + (Integer.MAX_VALUE - 32) + ", got "
                    + maxResultBytes);
        }
        if (password != null && password.isEmpty()) {
            throw new IllegalArgumentException("the password must not be empty (use null for none)");
        }
        if (password != null && usersFile != null) {
            throw new IllegalArgumentException("a gateway has either one password for everyone or a users file, not both");
        }
    }

    /** Clients must send this password (any user name is accepted, as by the engine). */
    public GatewayOptions withPassword(String pw) {
        return new GatewayOptions(pw, queryTimeout, workers, queuedConnections, maxResultBytes, compressRemote,
                handshakeTimeout, usersFile, limits);
    }

    /**
     * Clients authenticate as the users in {@code file} ({@link UsersFile}: names, roles, bcrypt
     * hashes); read again whenever it changes.
     */
    public GatewayOptions withUsersFile(Path file) {
        return new GatewayOptions(password, queryTimeout, workers, queuedConnections, maxResultBytes, compressRemote,
                handshakeTimeout, file, limits);
    }

    /** Queries still running after {@code timeout} fail with error {@code timeout}; zero means no limit. */
    public GatewayOptions withQueryTimeout(Duration timeout) {
        return new GatewayOptions(password, timeout, workers, queuedConnections, maxResultBytes, compressRemote,
                handshakeTimeout, usersFile, limits);
    }

    public GatewayOptions withWorkers(int n) {
        return new GatewayOptions(password, queryTimeout, n, queuedConnections, maxResultBytes, compressRemote,
                handshakeTimeout, usersFile, limits);
    }

    public GatewayOptions withQueuedConnections(int n) {
        return new GatewayOptions(password, queryTimeout, workers, n, maxResultBytes, compressRemote, handshakeTimeout, usersFile, limits);
    }

    /** Results whose payload would exceed {@code bytes} are answered with error {@code limit}. */
    public GatewayOptions withMaxResultBytes(long bytes) {
        return new GatewayOptions(password, queryTimeout, workers, queuedConnections, bytes, compressRemote,
                handshakeTimeout, usersFile, limits);
    }

    public GatewayOptions withCompressRemote(boolean on) {
        return new GatewayOptions(password, queryTimeout, workers, queuedConnections, maxResultBytes, on, handshakeTimeout, usersFile, limits);
    }

    public GatewayOptions withHandshakeTimeout(Duration timeout) {
        return new GatewayOptions(password, queryTimeout, workers, queuedConnections, maxResultBytes, compressRemote,
                timeout, usersFile, limits);
    }

    /** What one client may take: request size, connections, idle time, queued and concurrent requests, result rows. */
    public GatewayOptions withLimits(GatewayLimits l) {
        return new GatewayOptions(password, queryTimeout, workers, queuedConnections, maxResultBytes, compressRemote,
                handshakeTimeout, usersFile, l);
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "GatewayOptions[password=" + (password == null ? "none" : "***")
                + (usersFile == null ? "" : ", usersFile=" + usersFile) + ", queryTimeout=" + queryTimeout
                + ", workers=" + workers + ", queuedConnections=" + queuedConnections + ", maxResultBytes="
                + maxResultBytes + ", compressRemote=" + compressRemote + ", handshakeTimeout=" + handshakeTimeout + ", " + limits + "]";
    }
}
