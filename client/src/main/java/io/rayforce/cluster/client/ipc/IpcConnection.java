package io.rayforce.cluster.client.ipc;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.util.concurrent.Promise;
import io.rayforce.cluster.client.ClientOptions;
import io.rayforce.cluster.client.RayforceError;
import io.rayforce.cluster.client.RayforceTCPError;
import io.rayforce.cluster.client.value.RayValue;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One IPC connection to a Rayforce server, asynchronous: pipelined sync requests answered in
 * order, fire-and-forget async messages, and cancel of the running request. Thread-safe.
 */
public final class IpcConnection implements AutoCloseable {
    private final Channel channel;
    private final ResponseDispatcher dispatcher;
    private final String peer;
    private final long requestTimeoutMillis;

    private IpcConnection(Channel channel, ResponseDispatcher dispatcher, String peer, long requestTimeoutMillis) {
        this.channel = channel;
        this.dispatcher = dispatcher;
        this.peer = peer;
        this.requestTimeoutMillis = requestTimeoutMillis;
    }

    /** Connects and completes the handshake; fails with a {@link RayforceTCPError}. */
    public static CompletableFuture<IpcConnection> open(String host, int port, ClientOptions options) {
        String peer = host + ":" + port;
        CompletableFuture<IpcConnection> result = new CompletableFuture<>();
        ResponseDispatcher dispatcher = new ResponseDispatcher(peer);
        Bootstrap b = new Bootstrap()
                .group(options.eventLoopGroup() != null ? options.eventLoopGroup() : Transport.sharedGroup())
                .channel(UrgentSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.SO_RCVBUF, 4 * 1024 * 1024)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(512, 64 * 1024, 1024 * 1024))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.connectTimeout().toMillis())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        Promise<Void> handshake = ch.eventLoop().newPromise();
                        ch.pipeline().addLast("handshake", new ClientHandshake(options.user(), options.password(), handshake));
                        ch.pipeline().addLast("messages", new StreamingMessageDecoder(ValueReader.Mode.RESULT, options.maxFrameBytes()));
                        ch.pipeline().addLast("responses", dispatcher);
                        ch.eventLoop().schedule(() -> {
                            if (handshake.tryFailure(new RayforceTCPError("no handshake reply from " + peer + " within "
                                    + options.connectTimeout().toMillis() + " ms"))) {
                                ch.close();
                            }
                        }, options.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
                        handshake.addListener(f -> {
                            if (f.isSuccess()) {
                                result.complete(new IpcConnection(ch, dispatcher, peer, options.requestTimeout().toMillis()));
                            } else {
                                result.completeExceptionally(f.cause());
                            }
                        });
                    }
                });
        ChannelFuture connect;
        try {
            connect = b.connect(host, port);
        } catch (RuntimeException e) {
            result.completeExceptionally(new RayforceTCPError("cannot connect to " + peer + ": " + e.getMessage(), e));
            return result;
        }
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(new RayforceTCPError("cannot connect to " + peer + ": "
                        + f.cause().getMessage(), f.cause()));
            }
        });
        return result;
    }

    /** Sends a sync request; the future completes with the answer or an engine/connection error. */
    public CompletableFuture<RayValue> request(RayValue value) {
        return request(value, requestTimeoutMillis);
    }

    /** Sends a sync request with its own timeout in milliseconds (0 for none). */
    public CompletableFuture<RayValue> request(RayValue value, long timeoutMillis) {
        return request(value, timeoutMillis, 0);
    }

    /**
     * As {@link #request(RayValue, long)}, with header {@code flags}: {@link Wire#FLAG_RESTRICTED}
     * marks a request that changes nothing, so that the engine's journal never replays it with
     * effect.
     */
    public CompletableFuture<RayValue> request(RayValue value, long timeoutMillis, int flags) {
        return request(EncodedRequest.sync(value, flags), timeoutMillis);
    }

    /** Sends a request encoded once for any number of connections ({@link EncodedRequest}), with its own timeout. */
    public CompletableFuture<RayValue> request(EncodedRequest request, long timeoutMillis) {
        CompletableFuture<RayValue> result = new CompletableFuture<>();
        byte[] frame;
        try {
            frame = request.frame();
        } catch (IllegalArgumentException e) {
            result.completeExceptionally(new RayforceError(e.getMessage(), e));
            return result;
        }
        dispatcher.send(frame, result, timeoutMillis);
        return result;
    }

    /** Sends {@code value} as an async message: the server evaluates it and answers nothing. */
    public CompletableFuture<Void> post(RayValue value) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        byte[] frame;
        try {
            frame = ValueWriter.frame(MessageType.ASYNC, value);
        } catch (IllegalArgumentException e) {
            sent.completeExceptionally(new RayforceError(e.getMessage(), e));
            return sent;
        }
        dispatcher.post(frame, sent);
        return sent;
    }

    /**
     * Asks the server to interrupt the request it is running on this connection (TCP urgent
     * data); that request then fails with engine error {@code cancel}.
     */
    public CompletableFuture<Void> cancel() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        channel.eventLoop().execute(() -> {
            try {
                ((UrgentSocketChannel) channel).sendUrgent((byte) '!');
                done.complete(null);
            } catch (IOException | RuntimeException e) {
                done.completeExceptionally(new RayforceTCPError("could not send cancel to " + peer + ": " + e.getMessage(), e));
            }
        });
        return done;
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    public String peer() {
        return peer;
    }

    /** Completes when the connection has closed, for whatever reason. */
    public CompletableFuture<Void> closed() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        channel.closeFuture().addListener(x -> f.complete(null));
        return f;
    }

    /**
     * Closes the connection with a reset ({@code SO_LINGER} 0): what the kernel still holds of
     * the requests sent (unsent, or sent and not acknowledged by the peer, as across a network
     * partition) is dropped rather than delivered once the link is back. Outstanding requests
     * fail with a {@link RayforceTCPError}.
     */
    public void abort() {
        try {
            channel.config().setOption(io.netty.channel.ChannelOption.SO_LINGER, 0);
        } catch (RuntimeException e) {
            // a channel already closed: nothing left to drop
        }
        close();
    }

    /** Closes the connection; outstanding requests fail with a {@link RayforceTCPError}. */
    @Override
    public void close() {
        channel.eventLoop().execute(() -> dispatcher.closeWith(new RayforceTCPError("connection to " + peer + " was closed by the client")));
        if (!channel.eventLoop().inEventLoop()) {
            channel.closeFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }
}
