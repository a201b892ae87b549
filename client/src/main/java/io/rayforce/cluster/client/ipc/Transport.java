package io.rayforce.cluster.client.ipc;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;

/** The event loops shared by connections that were not given their own. */
public final class Transport {
    private static volatile EventLoopGroup shared;

    private Transport() {
    }

    /** A process-wide group of daemon event loop threads, created on first use. */
    public static EventLoopGroup sharedGroup() {
        EventLoopGroup g = shared;
        if (g == null) {
            synchronized (Transport.class) {
                g = shared;
                if (g == null) {
                    int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
                    g = new NioEventLoopGroup(threads, new DefaultThreadFactory("rayforce-ipc", true));
                    shared = g;
                }
            }
        }
        return g;
    }
}
