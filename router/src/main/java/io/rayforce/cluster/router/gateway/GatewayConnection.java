package io.rayforce.cluster.router.gateway;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.rayforce.cluster.client.RayforceProtocolError;
import io.rayforce.cluster.client.ipc.MessageType;
import io.rayforce.cluster.client.ipc.RawFrame;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
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
 * The connection keeps the text of its last error for {@code (.cluster.lastError)}.
 */
final class GatewayConnection extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(GatewayConnection.class);
    /** Stop reading from a client with this many requests waiting ... */
    private static final int PAUSE_REQUESTS = 64;
    /** ... or this many payload bytes waiting. */
    private static final long PAUSE_BYTES = 256L * 1024 * 1024;

    private final RequestEvaluator evaluator;
    private final ResponseFrames frames;
    private final Executor workers;
    private final boolean compressRemote;
    private final ArrayDeque<InFlightRequest> waiting = new ArrayDeque<>();
    private InFlightRequest running;
    private long waitingBytes;
    private boolean paused;
    private boolean closed;
    private boolean compress;
    private volatile String lastError;
    private ChannelHandlerContext ctx;

    GatewayConnection(RequestEvaluator evaluator, ResponseFrames frames, Executor workers, boolean compressRemote) {
        this.evaluator = evaluator;
        this.frames = frames;
        this.workers = workers;
        this.compressRemote = compressRemote;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        compress = compressRemote && !isLoopback(ctx.channel().remoteAddress());
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
        synchronized (this) {
            if (closed) {
                return;
            }
            waiting.add(request);
            waitingBytes += request.bytes();
            if (!paused && (waiting.size() >= PAUSE_REQUESTS || waitingBytes >= PAUSE_BYTES)) {
                paused = true;
                ctx.channel().config().setAutoRead(false);
            }
        }
        startNext();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
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
            if (paused && waiting.size() <= PAUSE_REQUESTS / 4 && waitingBytes < PAUSE_BYTES / 4) {
                paused = false;
                ctx.channel().config().setAutoRead(true);
            }
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
        synchronized (this) {
            running = null;
        }
        startNext();
    }

    /** The connection's last error text, or null. */
    String lastError() {
        return lastError;
    }
}
