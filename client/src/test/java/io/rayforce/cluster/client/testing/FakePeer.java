package io.rayforce.cluster.client.testing;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;

/**
 * A scripted TCP peer for what a real engine never sends: garbage, truncated or oversized
 * frames, a peer that stalls or dies mid-frame. Accepts one connection and runs the script.
 */
public final class FakePeer implements AutoCloseable {
    /** What the peer does with its accepted connection. */
    @FunctionalInterface
    public interface Script {
        void run(DataInputStream in, OutputStream out) throws IOException, InterruptedException;
    }

    private final ServerSocket server;
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    private FakePeer(Script script) throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            try (Socket s = server.accept()) {
                script.run(new DataInputStream(s.getInputStream()), s.getOutputStream());
                done.complete(null);
            } catch (Exception e) {
                done.completeExceptionally(e);
            }
        }, "fake-peer");
        t.setDaemon(true);
        t.start();
    }

    public static FakePeer start(Script script) throws IOException {
        return new FakePeer(script);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Reads the client's handshake and answers as an engine without a password would. */
    public static void acceptHandshake(DataInputStream in, OutputStream out) throws IOException {
        in.readFully(new byte[2]);
        out.write(new byte[] {3, 0});
        out.flush();
    }

    /** Reads one whole frame from the client. */
    public static byte[] readFrame(DataInputStream in) throws IOException {
        byte[] header = new byte[16];
        in.readFully(header);
        long size = java.nio.ByteBuffer.wrap(header, 8, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        byte[] payload = new byte[(int) size];
        in.readFully(payload);
        return payload;
    }

    /** Blocks until the client closes its side. */
    public static void awaitClose(InputStream in) throws IOException {
        while (in.read() >= 0) {
            // drain
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
