package io.rayforce.cluster.router.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import io.rayforce.cluster.client.ipc.Wire;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of the handshake, as the engine does it: reads the client's two bytes (only
 * the first, the wire version, is checked; a wrong version closes the connection without a
 * reply), answers {@code 03 00}, or {@code 03 01} when clients must authenticate, then reads one
 * length byte and that many bytes of {@code user:password}, has them checked
 * ({@link GatewayAuth}, off the network thread, perhaps after a delay for a client that keeps
 * failing) and answers {@code 00} (accepted) or {@code 01} (refused, then closes). The accepted
 * {@link Principal} is kept on the channel. Once done it removes itself and hands any bytes that
 * came with the handshake to the frame decoders. A connection that does not send its
 * credentials within the timeout is closed (the engine waits forever; a gateway faces strangers).
 */
final class ServerHandshake extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ServerHandshake.class);

    private final GatewayAuth auth;
    private final Duration timeout;
    private ByteBuf buffered;
    private boolean greeted;
    private boolean checking;
    private ScheduledFuture<?> timer;

    /** @param auth the check to apply, or null when clients need no password */
    ServerHandshake(GatewayAuth auth, Duration timeout) {
        this.auth = auth;
        this.timeout = timeout;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        buffered = ctx.alloc().buffer(16);
        timer = ctx.executor().schedule(() -> {
            log.debug("closing {}: no handshake within {}", ctx.channel().remoteAddress(), timeout);
            ctx.close();
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        if (buffered == null) { // refused: the connection is closing
            in.release();
            return;
        }
        try {
            buffered.writeBytes(in);
        } finally {
            in.release();
        }
        if (!greeted) {
            if (buffered.readableBytes() < 2) {
                return;
            }
            int version = buffered.readUnsignedByte();
            buffered.readUnsignedByte(); // the client's second byte is not checked
            if (version != Wire.VERSION) {
                log.debug("closing {}: client speaks wire version {}", ctx.channel().remoteAddress(), version);
                ctx.close();
                return;
            }
            greeted = true;
            ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {(byte) Wire.VERSION, (byte) (auth == null ? 0 : 1)}));
            if (auth == null) {
                ctx.channel().attr(Principal.KEY).set(Principal.ANONYMOUS);
                finish(ctx);
                return;
            }
        }
        if (checking || !buffered.isReadable()) {
            return;
        }
        int length = buffered.getUnsignedByte(buffered.readerIndex());
        if (buffered.readableBytes() < 1 + length) {
            return;
        }
        buffered.skipBytes(1);
        byte[] credentials = new byte[length];
        buffered.readBytes(credentials);
        checking = true;
        timer.cancel(false); // the check ends by itself: at most the failed-attempt delay plus a hash
        auth.check(credentials, ctx.channel().remoteAddress())
                .whenComplete((principal, e) -> ctx.executor().execute(() -> verdict(ctx, e == null ? principal : null)));
    }

    /** Answers the credentials: accepted (the connection goes on) or refused (closed). Runs on the event loop. */
    private void verdict(ChannelHandlerContext ctx, Principal principal) {
        if (buffered == null || !ctx.channel().isActive()) {
            release();
            return;
        }
        if (principal != null) {
            ctx.channel().attr(Principal.KEY).set(principal);
            ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {0}));
            finish(ctx);
        } else {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {1})).addListener(ChannelFutureListener.CLOSE);
            release();
        }
    }

    private void finish(ChannelHandlerContext ctx) {
        timer.cancel(false);
        ByteBuf rest = buffered;
        buffered = null;
        ctx.pipeline().remove(this);
        if (rest.isReadable()) {
            ctx.fireChannelRead(rest);
        } else {
            rest.release();
        }
    }

    private void release() {
        if (buffered != null) {
            buffered.release();
            buffered = null;
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
        }
        release();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        release();
        ctx.fireChannelInactive();
    }
}
