package io.rayforce.cluster.client;

import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.Objects;

/**
 * Connection settings: credentials, the connect-and-handshake timeout (default 5 s, as the
 * engine's own client) and the request timeout (default none, as rayforce-py; a request that
 * times out closes its connection, since responses carry no id). The event loop group defaults
 * to a shared one.
 */
public record ClientOptions(String user, String password, Duration connectTimeout, Duration requestTimeout,
                            EventLoopGroup eventLoopGroup) {
    public static final ClientOptions DEFAULT = new ClientOptions("", null, Duration.ofSeconds(5), Duration.ZERO, null);

    public ClientOptions {
        user = user == null ? "" : user;
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connect timeout must be positive, got " + connectTimeout);
        }
        if (requestTimeout.isNegative()) {
            throw new IllegalArgumentException("request timeout must not be negative (zero means none), got " + requestTimeout);
        }
    }

    public ClientOptions withCredentials(String user, String password) {
        return new ClientOptions(user, password, connectTimeout, requestTimeout, eventLoopGroup);
    }

    public ClientOptions withConnectTimeout(Duration timeout) {
        return new ClientOptions(user, password, timeout, requestTimeout, eventLoopGroup);
    }

    /** Requests that get no answer within {@code timeout} fail; zero means wait forever. */
    public ClientOptions withRequestTimeout(Duration timeout) {
        return new ClientOptions(user, password, connectTimeout, timeout, eventLoopGroup);
    }

    public ClientOptions withEventLoopGroup(EventLoopGroup group) {
        return new ClientOptions(user, password, connectTimeout, requestTimeout, group);
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "ClientOptions[user=" + user + ", password=" + (password == null ? "none" : "***")
                + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout + "]";
    }
}
