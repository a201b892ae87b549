package io.rayforce.cluster.client.ipc;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.RayforceProtocolError;
import io.rayforce.cluster.client.RayforceTCPError;
import io.rayforce.cluster.client.value.RayError;
import io.rayforce.cluster.client.value.RayValue;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Matches responses to requests on one connection. Responses carry no id, so they answer the
 * oldest outstanding request; all state is touched only on the channel's event loop. When a
 * request times out the connection is closed (later responses could no longer be matched) and
 * every outstanding request fails.
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
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private RayforceTCPError closedBecause;

    ResponseDispatcher(String peer) {
        this.peer = peer;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Sends a sync request; call on the event loop. */
    void send(byte[] frame, CompletableFuture<RayValue> result, long timeoutMillis) {
        if (closedBecause != null || !ctx.channel().isActive()) {
            result.completeExceptionally(closedBecause != null ? closedBecause
                    : new RayforceTCPError("connection to " + peer + " is closed"));
            return;
        }
        Pending p = new Pending(result);
        if (timeoutMillis > 0) {
            p.timeout = ctx.executor().schedule(() -> timedOut(p, timeoutMillis), timeoutMillis, TimeUnit.MILLISECONDS);
        }
        pending.add(p);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(frame)).addListener(f -> {
            if (!f.isSuccess()) {
                closeWith(new RayforceTCPError("could not send to " + peer + ": " + f.cause().getMessage(), f.cause()));
            }
        });
    }

    int outstanding() {
        return pending.size();
    }

    /**
     * A request got no answer in time. When the server is running it (it is the oldest
     * outstanding request), the server is asked to cancel it (TCP urgent data): the caller is
     * failed at once, the server's late answer is dropped when it comes, and the connection stays
     * usable; if no answer comes within {@link #CANCEL_GRACE_MILLIS} the connection is closed.
     * A request still queued behind others cannot be cancelled alone: the connection is closed.
     */
    private void timedOut(Pending p, long timeoutMillis) {
        if (p.result.isDone() || closedBecause != null) {
            return;
        }
        if (pending.peek() != p || !(ctx.channel() instanceof UrgentSocketChannel urgent)) {
            closeWith(new RayforceTCPError("no response from " + peer + " within " + timeoutMillis
                    + " ms; the connection was closed because later responses could not be matched"));
            return;
        }
        p.abandoned = true;
        p.result.completeExceptionally(new RayforceTCPError("no response from " + peer + " within " + timeoutMillis
                + " ms; the server was asked to cancel the request"));
        try {
            urgent.sendUrgent((byte) '!');
        } catch (java.io.IOException | RuntimeException e) {
            closeWith(new RayforceTCPError("no response from " + peer + " within " + timeoutMillis
                    + " ms, and the cancel could not be sent: " + e.getMessage()));
            return;
        }
        p.timeout = ctx.executor().schedule(() -> {
            if (pending.contains(p)) {
                closeWith(new RayforceTCPError("no response from " + peer + " within " + timeoutMillis
                        + " ms, nor to the cancel; the connection was closed"));
            }
        }, CANCEL_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Message m = (Message) msg;
        switch (m.type()) {
            case RESPONSE -> {
                Pending p = pending.poll();
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
                ctx.writeAndFlush(Unpooled.wrappedBuffer(ValueWriter.frame(MessageType.RESPONSE, new RayError("nyi"))));
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
        closeWith(new RayforceTCPError("connection to " + peer + " was closed by the server"
                + (pending.isEmpty() ? "" : " with " + pending.size() + " request(s) unanswered"
                + " (the engine closes the connection instead of sending a result over 256 MiB)")));
        ctx.fireChannelInactive();
    }

    /** Fails everything outstanding with {@code reason} and closes the channel. */
    void closeWith(RayforceTCPError reason) {
        if (closedBecause == null) {
            closedBecause = reason;
        }
        // close before failing the requests, so a caller that sees the failure sees a dead connection
        if (ctx.channel().isOpen()) {
            ctx.close();
        }
        Pending p;
        while ((p = pending.poll()) != null) {
            if (p.timeout() != null) {
                p.timeout().cancel(false);
            }
            p.result().completeExceptionally(closedBecause);
        }
    }
}
