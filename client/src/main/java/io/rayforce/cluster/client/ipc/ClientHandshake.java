package io.rayforce.cluster.client.ipc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.Promise;
import io.rayforce.cluster.client.RayforceTCPError;
import java.nio.charset.StandardCharsets;

/**
 * The client side of the handshake: sends the wire version, reads the server's version and auth
 * byte, sends {@code user:password} when the server asks for it, then removes itself so frames
 * flow. Completes {@code done} on success and fails it with a {@link RayforceTCPError} naming the
 * reason otherwise.
 */
public final class ClientHandshake extends ChannelInboundHandlerAdapter {
    private final String user;
    private final String password;
    private final Promise<Void> done;
    private final byte[] reply = new byte[2];
    private int replyFill;
    private boolean awaitingAuthVerdict;

    public ClientHandshake(String user, String password, Promise<Void> done) {
        this.user = user == null ? "" : user;
        this.password = password;
        this.done = done;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {(byte) Wire.VERSION, 0}));
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            if (!awaitingAuthVerdict) {
                int n = Math.min(in.readableBytes(), 2 - replyFill);
                in.readBytes(reply, replyFill, n);
                replyFill += n;
                if (replyFill < 2) {
                    return;
                }
                int version = reply[0] & 0xFF;
                int auth = reply[1] & 0xFF;
                if (version != Wire.VERSION) {
                    fail(ctx, "server speaks wire version " + version + ", this client speaks wire version " + Wire.VERSION);
                    return;
                }
                if (auth == 0) {
                    finish(ctx, in);
                    return;
                }
                if (auth != 1) {
                    fail(ctx, "server sent an unknown auth mode " + auth + " in its handshake");
                    return;
                }
                if (password == null) {
                    fail(ctx, "server requires a password; connect with a user and password");
                    return;
                }
                byte[] creds = (user + ":" + password).getBytes(StandardCharsets.UTF_8);
                if (creds.length + 1 > 255) {
                    fail(ctx, "user and password are too long: the handshake carries at most 254 bytes");
                    return;
                }
                ByteBuf out = ctx.alloc().buffer(creds.length + 2);
                out.writeByte(creds.length + 1).writeBytes(creds).writeByte(0);
                ctx.writeAndFlush(out);
                awaitingAuthVerdict = true;
            }
            if (awaitingAuthVerdict && in.isReadable()) {
                int verdict = in.readUnsignedByte();
                if (verdict != 0) {
                    fail(ctx, "server refused the password" + (user.isEmpty() ? "" : " for user '" + user + "'"));
                    return;
                }
                finish(ctx, in);
            }
        } finally {
            in.release();
        }
    }

    private void finish(ChannelHandlerContext ctx, ByteBuf rest) {
        ctx.pipeline().remove(this);
        done.trySuccess(null);
        if (rest.isReadable()) {
            ctx.fireChannelRead(rest.retainedSlice());
            rest.skipBytes(rest.readableBytes());
        }
    }

    private void fail(ChannelHandlerContext ctx, String reason) {
        done.tryFailure(new RayforceTCPError(reason));
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        done.tryFailure(new RayforceTCPError(awaitingAuthVerdict
                ? "server closed the connection after the password was sent (password refused?)"
                : "server closed the connection during the handshake"));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        done.tryFailure(new RayforceTCPError("handshake failed: " + cause.getMessage(), cause));
        ctx.close();
    }
}
