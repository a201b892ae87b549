package io.rayforce.cluster.client.ipc;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.RayforceProtocolError;
import io.rayforce.cluster.client.RayforceNotSentError;
import io.rayforce.cluster.client.RayforceTCPError;
import io.rayforce.cluster.client.RayforceTimeoutError;
import io.rayforce.cluster.client.value.RayError;
import io.rayforce.cluster.client.value.RayValue;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a connection's frames and matches responses to requests. Responses carry no id, so they
 * answer the oldest outstanding request. When a request times out the connection is closed
 * (later responses could no longer be matched) and every outstanding request fails.
 *
 * <p>Frames are sent from the thread that asks, straight to the socket, when nothing is waiting
 * to be sent before them: a request then costs no hand-off to the event loop (one thread wake-up
 * fewer per round trip). What the socket does not take at once goes through the channel's
 * outbound buffer, and later frames follow it there until it has drained, so frames never
 * interleave and leave in the order they were sent. The outstanding requests, and the order of
 * frames, are guarded by one lock; responses are read on the event loop.
 */
final class ResponseDispatcher extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ResponseDispatcher.class);

    /** An outstanding request; abandoned once it timed out and its caller was told. */
    private static final class Pending {
        final CompletableFuture<RayValue> result;
        ScheduledFuture<?> timeout;
        boolean abandoned;

        Pending(CompletableFuture<RayValue> result) {
            this.result = result;
        }

        CompletableFuture<RayValue> result() {
            return result;
        }

        ScheduledFuture<?> timeout() {
            return timeout;
        }
    }

    /** How long a cancelled request's server gets to answer before the connection is closed. */
    static final long CANCEL_GRACE_MILLIS = 1000;

    private final String peer;
    /** Guards {@link #pending}, {@link #closedBecause}, {@link #queuedWrites} and the order of frames on the socket. */
    private final Object lock = new Object();
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private RayforceTCPError closedBecause;
    /** Frames handed to the channel's outbound buffer and not yet written: later frames must follow them. */
    private int queuedWrites;

    ResponseDispatcher(String peer) {
        this.peer = peer;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Sends a sync request; any thread. */
    void send(byte[] frame, CompletableFuture<RayValue> result, long timeoutMillis) {
        Pending p = new Pending(result);
        RayforceTCPError refused;
        RayforceTCPError failed = null;
        synchronized (lock) {
            refused = closedError();
            if (refused == null) {
                pending.add(p);
                if (timeoutMillis > 0) {
                    p.timeout = ctx.executor().schedule(() -> timedOut(p, timeoutMillis), timeoutMillis, TimeUnit.MILLISECONDS);
                }
                try {
                    write(frame, null);
                } catch (IOException e) {
                    failed = new RayforceTCPError("could not send to " + peer + ": " + e.getMessage(), e);
                }
            }
        }
        if (refused != null) {
            // nothing of this request was written
            result.completeExceptionally(new RayforceNotSentError(refused.getMessage() + "; the request was not sent", refused));
        }
        if (failed != null) {
            closeWith(failed); // fails this request with the others outstanding
        }
    }

    /** Sends a frame that gets no response (an async message); {@code sent} completes once it is written. Any thread. */
    void post(byte[] frame, CompletableFuture<Void> sent) {
        RayforceTCPError refused = null;
        RayforceTCPError failed = null;
        boolean written = false;
        synchronized (lock) {
            if (!ctx.channel().isActive()) {
                refused = new RayforceTCPError("connection to " + peer + " is closed");
            } else {
                try {
                    written = write(frame, sent);
                } catch (IOException e) {
                    failed = new RayforceTCPError("could not send to " + peer + ": " + e.getMessage(), e);
                }
            }
        }
        if (written) {
            sent.complete(null);
        }
        if (refused != null) {
            sent.completeExceptionally(refused);
        }
        if (failed != null) {
            closeWith(failed);
            sent.completeExceptionally(failed);
        }
    }

    /** Why nothing can be sent any more, or null; under the lock. */
    private RayforceTCPError closedError() {
        if (closedBecause != null) {
            return closedBecause;
        }
        return ctx.channel().isActive() ? null : new RayforceTCPError("connection to " + peer + " is closed");
    }

    /**
     * Writes {@code frame} straight to the socket when nothing is queued before it, and queues
     * what the socket does not take at once; under the lock. True when the whole frame was
     * written now; else {@code sent}, if given, completes once it is (or fails).
     */
    private boolean write(byte[] frame, CompletableFuture<Void> sent) throws IOException {
        ByteBuffer rest = ByteBuffer.wrap(frame);
        if (queuedWrites == 0 && ctx.channel() instanceof UrgentSocketChannel socket) {
            socket.writeNow(rest);
            if (!rest.hasRemaining()) {
                return true;
            }
        }
        queuedWrites++;
        ctx.writeAndFlush(Unpooled.wrappedBuffer(rest)).addListener(f -> {
            synchronized (lock) {
                queuedWrites--;
            }
            if (f.isSuccess()) {
                if (sent != null) {
                    sent.complete(null);
                }
            } else {
                RayforceTCPError e = new RayforceTCPError("could not send to " + peer + ": " + f.cause().getMessage(), f.cause());
                closeWith(e);
                if (sent != null) {
                    sent.completeExceptionally(e);
                }
            }
        });
        return false;
    }

    int outstanding() {
        synchronized (lock) {
            return pending.size();
        }
    }

    /**
     * A request got no answer in time. When the server is running it (it is the oldest
     * outstanding request), the server is asked to cancel it (TCP urgent data): the caller is
     * failed at once, the server's late answer is dropped when it comes, and the connection stays
     * usable; if no answer comes within {@link #CANCEL_GRACE_MILLIS} the connection is closed.
     * A request still queued behind others cannot be cancelled alone: the connection is closed.
     */
    private void timedOut(Pending p, long timeoutMillis) {
        boolean running;
        synchronized (lock) {
            if (p.result.isDone() || closedBecause != null) {
                return;
            }
            running = pending.peek() == p;
        }
        if (!running || !(ctx.channel() instanceof UrgentSocketChannel urgent)) {
            closeWith(new RayforceTimeoutError("no response from " + peer + " within " + timeoutMillis
                    + " ms; the connection was closed because later responses could not be matched"));
            return;
        }
        p.abandoned = true;
        p.result.completeExceptionally(new RayforceTimeoutError("no response from " + peer + " within " + timeoutMillis
                + " ms; the server was asked to cancel the request"));
        try {
            urgent.sendUrgent((byte) '!');
        } catch (java.io.IOException | RuntimeException e) {
            closeWith(new RayforceTimeoutError("no response from " + peer + " within " + timeoutMillis
                    + " ms, and the cancel could not be sent: " + e.getMessage()));
            return;
        }
        ScheduledFuture<?> grace = ctx.executor().schedule(() -> {
            boolean unanswered;
            synchronized (lock) {
                unanswered = pending.contains(p);
            }
            if (unanswered) {
                closeWith(new RayforceTimeoutError("no response from " + peer + " within " + timeoutMillis
                        + " ms, nor to the cancel; the connection was closed"));
            }
        }, CANCEL_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        synchronized (lock) {
            p.timeout = grace;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Message m = (Message) msg;
        switch (m.type()) {
            case RESPONSE -> {
                Pending p;
                synchronized (lock) {
                    p = pending.poll();
                }
                if (p == null) {
                    closeWith(new RayforceProtocolError(peer + " sent a response with no request outstanding"));
                    return;
                }
                if (p.timeout() != null) {
                    p.timeout().cancel(false);
                }
                if (p.abandoned) {
                    return; // the late answer to a request that timed out and was cancelled
                }
                if (m.value() instanceof RayError e) {
                    p.result().completeExceptionally(new RayforceEvaluationError(e.code()));
                } else {
                    p.result().complete(m.value());
                }
            }
            case SYNC -> {
                // the server asked us something; a client evaluates nothing, so answer with an error
                post(ValueWriter.frame(MessageType.RESPONSE, new RayError("nyi")), new CompletableFuture<>());
            }
            case ASYNC -> log.debug("ignoring async message from {}: {}", peer, m.value());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        closeWith(cause instanceof RayforceTCPError t ? t
                : new RayforceTCPError("connection to " + peer + " failed: " + cause, cause));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        int unanswered = outstanding();
        closeWith(new RayforceTCPError("connection to " + peer + " was closed by the server"
                + (unanswered == 0 ? "" : " with " + unanswered + " request(s) unanswered"
                + " (the engine closes the connection instead of sending a result over 256 MiB)")));
        ctx.fireChannelInactive();
    }

    /** Fails everything outstanding with {@code reason} (or the reason it closed first) and closes the channel; any thread. */
    void closeWith(RayforceTCPError reason) {
        List<Pending> failing;
        RayforceTCPError why;
        synchronized (lock) {
            if (closedBecause == null) {
                closedBecause = reason;
            }
            why = closedBecause;
            failing = new ArrayList<>(pending);
            pending.clear();
        }
        // close before failing the requests, so a caller that sees the failure sees a dead connection
        if (ctx.channel().isOpen()) {
            ChannelFuture closing = ctx.close();
            if (!ctx.executor().inEventLoop()) {
                closing.awaitUninterruptibly(5, TimeUnit.SECONDS);
            }
        }
        for (Pending p : failing) {
            if (p.timeout() != null) {
                p.timeout().cancel(false);
            }
            p.result().completeExceptionally(why);
        }
    }
}
