package io.rayforce.cluster.client;

import io.netty.channel.EventLoopGroup;
import io.rayforce.cluster.client.ipc.FrameHeader;
import io.rayforce.cluster.client.ipc.Wire;
import java.time.Duration;
import java.util.Objects;

/**
 * Connection settings: credentials, the connect-and-handshake timeout (default 5 s, as the
 * engine's own client) and the request timeout (default none, as rayforce-py; a request that
 * times out closes its connection, since responses carry no id). The event loop group defaults
 * to a shared one.
 */
public record ClientOptions(String user, String password, Duration connectTimeout, Duration requestTimeout,
                            int maxFrameBytes, EventLoopGroup eventLoopGroup) {
    public static final ClientOptions DEFAULT = new ClientOptions("", null, Duration.ofSeconds(5), Duration.ZERO,
            Wire.MAX_PAYLOAD_BYTES, null);

    public ClientOptions {
        user = user == null ? "" : user;
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connect timeout must be positive, got " + connectTimeout);
        }
        if (maxFrameBytes < 1 || maxFrameBytes > FrameHeader.MAX_JAVA_FRAME) {
            throw new IllegalArgumentException("max frame bytes must be 1.." + FrameHeader.MAX_JAVA_FRAME + ", got " + maxFrameBytes);
        }
        if (requestTimeout.isNegative()) {
            throw new IllegalArgumentException("request timeout must not be negative (zero means none), got " + requestTimeout);
        }
    }

    public ClientOptions withCredentials(String user, String password) {
        return new ClientOptions(user, password, connectTimeout, requestTimeout, maxFrameBytes, eventLoopGroup);
    }

    public ClientOptions withConnectTimeout(Duration timeout) {
        return new ClientOptions(user, password, timeout, requestTimeout, maxFrameBytes, eventLoopGroup);
    }

    /** Requests that get no answer within {@code timeout} fail; zero means wait forever. */
    public ClientOptions withRequestTimeout(Duration timeout) {
        return new ClientOptions(user, password, connectTimeout, timeout, maxFrameBytes, eventLoopGroup);
    }

    /**
     * The largest frame accepted from the server. The default is the engine's own 256 MiB request
     * limit; the engine sends larger results, which a client may accept by raising this (up to
     * about 2 GiB). A larger frame closes the connection with a clear error.
     */
    public ClientOptions withMaxFrameBytes(int bytes) {
        return new ClientOptions(user, password, connectTimeout, requestTimeout, bytes, eventLoopGroup);
    }

    public ClientOptions withEventLoopGroup(EventLoopGroup group) {
        return new ClientOptions(user, password, connectTimeout, requestTimeout, maxFrameBytes, group);
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "ClientOptions[user=" + user + ", password=" + (password == null ? "none" : "***")
                + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout
                + ", maxFrameBytes=" + maxFrameBytes + "]";
    }
}
