package io.rayforce.cluster.client.ipc;

import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;

/** A NIO socket channel that can send one byte of TCP urgent data: the engine's cancel signal. */
public final class UrgentSocketChannel extends NioSocketChannel {
    /** Sends {@code b} as out-of-band data; call on the channel's event loop. */
    public void sendUrgent(byte b) throws IOException {
        javaChannel().socket().sendUrgentData(b);
    }
}
