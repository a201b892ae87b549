package io.rayforce.cluster.router.gateway;

import io.micrometer.core.instrument.Metrics;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.concurrent.ScheduledFuture;
import io.rayforce.cluster.client.RayforceProtocolError;
import io.rayforce.cluster.client.ipc.MessageType;
import io.rayforce.cluster.client.ipc.RawFrame;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: its requests run one at a time, in arrival order, on the gateway's
 * worker pool (never on the event loop), as the engine evaluates a connection's requests; a sync
 * request is answered with one response frame before the next request starts, so answers come
 * in request order although they carry no id. Async requests run without an answer. A cancel
 * byte cancels the running request (or, if none runs yet, the oldest waiting one); a disconnect
 * cancels every sync request still running or waiting, since no one can receive their answers.
 * A write that has started is not cancelled ({@link WriteRequests}).
 * The connection keeps the text of its last error for {@code (.cluster.lastError)}, and counts
 * the errors it answers by code ({@code rfc.gateway.errors{code}}).
 */
final class GatewayConnection extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(GatewayConnection.class);
    /** How long a refused connection is still read from (and its bytes dropped) before it is closed. */
    private static final long LINGER_MILLIS = 2000;

    private final RequestEvaluator evaluator;
    private final ResponseFrames frames;
    private final Executor workers;
    private final boolean compressRemote;
    /** Stop reading from the client with this many requests waiting ... */
    private final int pauseRequests;
    /** ... or this many payload bytes waiting. */
    private final long pauseBytes;
    private final QueryQuota quota;
    private final long idleNanos;
    private final ArrayDeque<InFlightRequest> waiting = new ArrayDeque<>();
    private InFlightRequest running;
    /** The quota key the running request holds a slot under, or null. */
    private String quotaHeld;
    private long waitingBytes;
    private boolean paused;
    private boolean closed;
    /** The gateway is stopping: read nothing more, finish what was read, then close. */
    private boolean draining;
    private boolean compress;
    private volatile String lastError;
    private volatile long lastActivity = System.nanoTime();
    private ScheduledFuture<?> idleCheck;
    private ChannelHandlerContext ctx;

    GatewayConnection(RequestEvaluator evaluator, ResponseFrames frames, Executor workers, boolean compressRemote,
                      GatewayLimits limits, QueryQuota quota) {
        this.evaluator = evaluator;
        this.frames = frames;
        this.workers = workers;
        this.compressRemote = compressRemote;
        this.pauseRequests = limits.maxQueuedRequests();
        this.pauseBytes = limits.maxRequestBytes();
        this.quota = quota;
        this.idleNanos = limits.idleTimeout().toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        compress = compressRemote && !isLoopback(ctx.channel().remoteAddress());
        if (idleNanos > 0) {
            long every = Math.max(1, idleNanos / 4);
            idleCheck = ctx.executor().scheduleAtFixedRate(this::closeIfIdle, every, every, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (idleCheck != null) {
            idleCheck.cancel(false);
        }
    }

    /**
     * Closes the connection when none of its requests runs or waits and no complete request came
     * (nor answer went) for the idle timeout: bytes that trickle in without completing a frame do
     * not keep it open.
     */
    private void closeIfIdle() {
        synchronized (this) {
            if (running != null || !waiting.isEmpty() || System.nanoTime() - lastActivity < idleNanos) {
                return;
            }
        }
        log.info("closing {}: idle for {} ms", ctx.channel().remoteAddress(), idleNanos / 1_000_000);
        ctx.close();
    }

    /**
     * The gateway is stopping (SIGTERM): reads no more requests, lets the ones already read
     * finish and be answered, then closes the connection (at once when it has none). A request
     * the client sends from now on is never read, so never run.
     */
    void drain() {
        boolean idle;
        synchronized (this) {
            draining = true;
            idle = running == null && waiting.isEmpty();
        }
        ctx.channel().config().setAutoRead(false);
        if (idle) {
            ctx.close();
        }
    }

    /** The engine compresses replies to every peer whose address is not a loopback one. */
    static boolean isLoopback(SocketAddress address) {
        return address instanceof InetSocketAddress a && a.getAddress() != null && a.getAddress().isLoopbackAddress();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        RawFrame frame = (RawFrame) msg;
        if (frame.header().type() == MessageType.RESPONSE) {
            log.debug("dropping a response frame sent by client {} (the engine does the same)", ctx.channel().remoteAddress());
            return;
        }
        InFlightRequest request = new InFlightRequest(frame);
        lastActivity = System.nanoTime();
        synchronized (this) {
            if (closed) {
                return;
            }
            waiting.add(request);
            waitingBytes += request.bytes();
            if (!paused && (waiting.size() >= pauseRequests || waitingBytes >= pauseBytes)) {
                paused = true;
                ctx.channel().config().setAutoRead(false);
            }
        }
        startNext();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof InboundFrameScanner.OversizedFrame big) {
            refuseOversized(ctx, big);
            return;
        }
        if (evt != InboundFrameScanner.CANCEL) {
            ctx.fireUserEventTriggered(evt);
            return;
        }
        InFlightRequest target;
        synchronized (this) {
            target = running != null ? running : waiting.peek();
        }
        if (target != null) {
            log.debug("client {} cancelled its running request", ctx.channel().remoteAddress());
            target.cancel("the client sent cancel");
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        synchronized (this) {
            closed = true;
            if (running != null && running.sync()) {
                running.cancel("the client disconnected");
            }
            waiting.removeIf(InFlightRequest::sync);
        }
        ctx.fireChannelInactive();
    }

    /**
     * A request frame over the size limit: its bytes cannot be skipped safely, so the connection
     * is closed (as the engine closes on a frame over 256 MiB). When it is a sync request and
     * nothing else of the connection is pending, it is first answered with error {@code limit},
     * so the client learns why; otherwise that answer would be taken for an earlier request's.
     */
    private void refuseOversized(ChannelHandlerContext ctx, InboundFrameScanner.OversizedFrame big) {
        String why = "the request frame declares " + big.size() + " bytes and the gateway accepts at most " + big.limit()
                + " (max request bytes); the connection is closed";
        log.info("closing {}: {}", ctx.channel().remoteAddress(), why);
        boolean idle;
        synchronized (this) {
            idle = running == null && waiting.isEmpty();
            closed = true;
        }
        lastError = why;
        if (big.sync() && idle) {
            byte[] frame = frames.encode(new ErrorReply(ErrorReply.LIMIT, why).value(), false, false);
            ctx.writeAndFlush(Unpooled.wrappedBuffer(frame)).addListener(f -> lingerThenClose(ctx));
        } else {
            ctx.close();
        }
    }

    /**
     * Ends the output after the answer (FIN) but goes on reading, and dropping, what the client
     * still sends of its frame for a moment: closing with unread bytes would reset the connection
     * and could destroy the answer before the client reads it.
     */
    private static void lingerThenClose(ChannelHandlerContext ctx) {
        if (!(ctx.channel() instanceof DuplexChannel duplex)) {
            ctx.close();
            return;
        }
        ctx.channel().config().setAutoRead(true);
        duplex.shutdownOutput();
        ctx.executor().schedule(() -> {
            ctx.close();
        }, LINGER_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof RayforceProtocolError) {
            log.debug("closing {}: {}", ctx.channel().remoteAddress(), cause.getMessage());
        } else {
            log.debug("closing {} after an error", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }

    /** Hands the next waiting request to a worker unless one of this connection's requests is running. */
    private void startNext() {
        InFlightRequest next;
        synchronized (this) {
            if (running != null || waiting.isEmpty()) {
                return;
            }
            next = waiting.poll();
            waitingBytes -= next.bytes();
            running = next;
            if (paused && !draining && waiting.size() <= pauseRequests / 4 && waitingBytes < pauseBytes / 4) {
                paused = false;
                ctx.channel().config().setAutoRead(true);
            }
        }
        String key = quota.keyOf(ctx.channel());
        if (!quota.tryAcquire(key)) {
            Answer over = Answer.error(new ErrorReply(ErrorReply.LIMIT, key + " already has " + quota.limit()
                    + " requests running or waiting for a worker (max queries per user); retry when one has finished"));
            // answered from the event loop's queue: a flood of refused requests must not recurse
            ctx.executor().execute(() -> reply(next, over));
            return;
        }
        synchronized (this) {
            quotaHeld = key;
        }
        try {
            workers.execute(() -> run(next));
        } catch (RejectedExecutionException e) {
            Answer busy = Answer.error(new ErrorReply(ErrorReply.BUSY, "the gateway is overloaded: every worker is busy and "
                    + "the queue is full; retry later"));
            reply(next, busy);
        }
    }

    /** Evaluates one request on a worker thread and answers it. */
    private void run(InFlightRequest request) {
        Answer answer;
        if (!request.begin()) {
            answer = Answer.error(new ErrorReply(ErrorReply.CANCEL, "query cancelled: " + request.cancelReason()));
        } else {
            try {
                Principal who = ctx.channel().attr(Principal.KEY).get();
                answer = evaluator.answer(request.frame(), () -> lastError, request, who == null ? Principal.ANONYMOUS : who);
            } catch (RuntimeException | Error e) {
                answer = Answer.error(ErrorReply.of(e, null));
            } finally {
                request.end();
            }
        }
        reply(request, answer);
    }

    /** Sends the answer of a sync request, then lets the next request start once it is written. */
    private void reply(InFlightRequest request, Answer answer) {
        byte[] frame = null;
        if (answer.failed()) {
            lastError = answer.errorText();
            Metrics.counter("rfc.gateway.errors", "code", answer.outcome()).increment();
        }
        if (request.sync()) {
            try {
                frame = frames.encode(answer.value(), request.verbose(), compress);
            } catch (RuntimeException e) {
                ErrorReply failure = ErrorReply.of(e, null);
                lastError = failure.message();
                frame = frames.encode(failure.value(), request.verbose(), false);
            }
        }
        if (frame != null && ctx.channel().isActive()) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(frame)).addListener(f -> finished());
        } else {
            finished();
        }
    }

    private void finished() {
        String release;
        boolean drained;
        synchronized (this) {
            running = null;
            release = quotaHeld;
            quotaHeld = null;
            drained = draining && waiting.isEmpty();
        }
        if (release != null) {
            quota.release(release);
        }
        lastActivity = System.nanoTime();
        if (drained) {
            ctx.close(); // its last answer is written
            return;
        }
        startNext();
    }

    /** The connection's last error text, or null. */
    String lastError() {
        return lastError;
    }
}
