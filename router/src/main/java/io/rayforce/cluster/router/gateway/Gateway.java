package io.rayforce.cluster.router.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.rayforce.cluster.client.ipc.FrameDecoder;
import io.rayforce.cluster.router.ClusterClient;
import io.rayforce.cluster.router.QueryOptions;
import io.rayforce.cluster.router.exec.ResultLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster as one Rayforce IPC server. Clients connect with what they use for a single
 * server (rayforce-py's {@code TCPClient}, this project's {@code TCPClient}, another engine's
 * {@code .ipc.open}): the gateway speaks the engine's handshake (with its password rule), frames,
 * compression, sync and async messages and cancel, and answers each query through a
 * {@link ClusterClient}.
 *
 * <pre>{@code
 * try (ClusterClient cluster = ClusterClient.connect("zk:2181", "default");
 *      Gateway gateway = new Gateway(cluster, GatewayOptions.DEFAULT).start("0.0.0.0", 5100)) {
 *     ...
 * }
 * }</pre>
 *
 * Queries run on a bounded pool of worker threads, never on the network threads; see
 * {@link GatewayConnection} for ordering and cancellation, {@link ErrorReply} for error codes.
 * The gateway does not close the cluster client it was given. It counts its connections
 * ({@code rfc.gateway.connections{port}} open, {@code rfc.gateway.connections.refused}).
 */
public final class Gateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    private final ClusterClient cluster;
    private final GatewayOptions options;
    private final ChannelGroup connections = new DefaultChannelGroup("rayforce-gateway", GlobalEventExecutor.INSTANCE);
    private EventLoopGroup acceptor;
    private EventLoopGroup network;
    private ThreadPoolExecutor workers;
    private Channel listener;
    private InetSocketAddress address;
    private GatewayAuth auth;
    private volatile boolean draining;
    private final Counter refused = Counter.builder("rfc.gateway.connections.refused")
            .description("connections closed at once because --max-connections were open").register(Metrics.globalRegistry);
    private Meter open;

    public Gateway(ClusterClient cluster, GatewayOptions options) {
        this.cluster = cluster;
        this.options = options;
    }

    /** Listens on {@code host:port} (port 0: a free port, see {@link #port()}); fails if the address is taken. */
    public synchronized Gateway start(String host, int port) {
        if (listener != null) {
            throw new IllegalStateException("gateway already listening on " + address);
        }
        workers = new ThreadPoolExecutor(options.workers(), options.workers(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(options.queuedConnections()), Gateway::workerThread);
        acceptor = new NioEventLoopGroup(1, new DefaultThreadFactory("rayforce-gateway-accept", true));
        network = new NioEventLoopGroup(Math.max(2, Runtime.getRuntime().availableProcessors()),
                new DefaultThreadFactory("rayforce-gateway-io", true));
        GatewayLimits limits = options.limits();
        RequestEvaluator evaluator = new RequestEvaluator(cluster, new QueryOptions(options.queryTimeout(), false)
                .withResultLimits(new ResultLimits(limits.maxResultRows(), options.maxResultBytes())), limits.maxRequestBytes());
        QueryQuota quota = new QueryQuota(limits.maxQueriesPerUser(), options.usersFile() != null);
        ResponseFrames frames = new ResponseFrames(options.maxResultBytes());
        Authenticator authenticator = options.usersFile() != null ? new UserFileAuthenticator(options.usersFile())
                : options.password() != null ? Authenticator.sharedPassword(options.password()) : null;
        auth = authenticator == null ? null : new GatewayAuth(authenticator);
        GatewayAuth checks = auth;
        ServerBootstrap b = new ServerBootstrap()
                .group(acceptor, network)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(NioChannelOption.of(UrgentDataInline.OPTION), true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (draining) {
                            ch.close();
                            return;
                        }
                        if (connections.size() >= limits.maxConnections()) {
                            refused.increment();
                            // refused before the handshake: the client sees the connection closed
                            log.info("refusing a connection from {}: {} connections are open (max connections)",
                                    ch.remoteAddress(), connections.size());
                            ch.close();
                            return;
                        }
                        connections.add(ch);
                        ch.pipeline().addLast("handshake", new ServerHandshake(checks, options.handshakeTimeout()));
                        ch.pipeline().addLast("scanner", new InboundFrameScanner(limits.maxRequestBytes()));
                        ch.pipeline().addLast("frames", new FrameDecoder(limits.maxRequestBytes(), false));
                        ch.pipeline().addLast("requests", new GatewayConnection(evaluator, frames, workers,
                                options.compressRemote(), limits, quota));
                    }
                });
        try {
            listener = b.bind(host, port).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            shutdownThreads();
            throw new UncheckedIOException(new IOException("the gateway cannot listen on " + host + ":" + port + ": "
                    + e.getMessage(), e));
        }
        address = (InetSocketAddress) listener.localAddress();
        open = Gauge.builder("rfc.gateway.connections", connections, ChannelGroup::size).tag("port", Integer.toString(address.getPort()))
                .description("client connections open").register(Metrics.globalRegistry);
        log.info("gateway listening on {}:{} ({})", host, address.getPort(), options);
        return this;
    }

    /** The port the gateway listens on. */
    public synchronized int port() {
        if (address == null) {
            throw new IllegalStateException("gateway not started");
        }
        return address.getPort();
    }

    /** Connections currently open. */
    public int connectionCount() {
        return connections.size();
    }

    /**
     * Stops gracefully (what SIGTERM does): stops accepting connections, lets every connection
     * finish the requests it has already received and closes it once they are answered (an idle
     * one at once), and closes when all are closed, or after {@code grace} whatever still runs
     * (as {@link #close()}). Requests a client sends after this began are not read, so not run.
     */
    public void drain(Duration grace) {
        Channel l;
        synchronized (this) {
            l = listener;
            draining = true;
        }
        if (l == null) {
            return;
        }
        l.close().syncUninterruptibly();
        int had = connections.size();
        long t0 = System.nanoTime();
        long deadline = t0 + grace.toNanos();
        for (Channel ch : connections) {
            GatewayConnection c = ch.pipeline().get(GatewayConnection.class);
            if (c == null) {
                ch.close();
            } else {
                ch.eventLoop().execute(c::drain);
            }
        }
        while (!connections.isEmpty() && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        log.info("gateway drained: {} connections, {} still open after {} ms", had, connections.size(),
                (System.nanoTime() - t0) / 1_000_000);
        close();
    }

    /** Stops listening, closes every connection (cancelling their queries) and stops the worker threads. */
    @Override
    public synchronized void close() {
        if (open != null) {
            Metrics.globalRegistry.remove(open);
        }
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
        connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        shutdownThreads();
    }

    private void shutdownThreads() {
        if (auth != null) {
            auth.close();
        }
        if (workers != null) {
            workers.shutdown();
        }
        if (network != null) {
            network.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (acceptor != null) {
            acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (workers != null) {
            try {
                if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                    workers.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                workers.shutdownNow();
            }
        }
    }

    private static final java.util.concurrent.atomic.AtomicInteger WORKER_IDS = new java.util.concurrent.atomic.AtomicInteger();
    /**
     * Stack of a worker thread. A request may nest 512 levels deep (as on the engine), and
     * decoding, checking, planning and printing it all recurse over that depth; the default
     * 1 MiB was seen to overflow under load. The memory is reserved, and used only as needed.
     */
    static final long WORKER_STACK_BYTES = 16L * 1024 * 1024;

    private static Thread workerThread(Runnable r) {
        Thread t = new Thread(null, r, "rayforce-gateway-worker-" + WORKER_IDS.incrementAndGet(), WORKER_STACK_BYTES);
        t.setDaemon(true);
        return t;
    }

    /** The socket option that delivers TCP urgent data (a client's cancel byte) inline with the stream. */
    static final class UrgentDataInline {
        static final SocketOption<Boolean> OPTION = find();

        private UrgentDataInline() {
        }

        @SuppressWarnings("unchecked")
        private static SocketOption<Boolean> find() {
            try (java.nio.channels.SocketChannel probe = java.nio.channels.SocketChannel.open()) {
                for (SocketOption<?> o : probe.supportedOptions()) {
                    if (o.name().equals("SO_OOBINLINE")) {
                        return (SocketOption<Boolean>) o;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            throw new IllegalStateException("this JVM cannot receive TCP urgent data inline (no SO_OOBINLINE); "
                    + "the gateway needs it to see cancel requests");
        }
    }
}
