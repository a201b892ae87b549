package io.rayforce.cluster.client.ipc;

import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A NIO socket channel that can send one byte of TCP urgent data (the engine's cancel signal),
 * and write from any thread straight to the socket.
 */
public final class UrgentSocketChannel extends NioSocketChannel {
    /** Sends {@code b} as out-of-band data; call on the channel's event loop. */
    public void sendUrgent(byte b) throws IOException {
        javaChannel().socket().sendUrgentData(b);
    }

    /**
     * Writes as much of {@code bytes} as the socket takes now, from any thread, bypassing the
     * outbound buffer: the caller must make sure nothing else is being written (the channel is
     * non-blocking, so this neither waits nor is closed by an interrupt).
     */
    public void writeNow(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining() && javaChannel().write(bytes) > 0) {
            // the socket took some; offer it the rest
        }
    }
}
