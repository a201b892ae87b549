package io.rayforce.cluster.node.engine;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * Checks that an engine answers, without making it journal anything: it opens a TCP connection,
 * sends the IPC handshake ({@code 03 00}) and waits for the engine's two-byte reply. The engine
 * evaluates requests one at a time on the thread that also accepts connections, so a handshake
 * answered proves that the engine is responsive, just as a request would; but unlike a sync
 * request (every one is written to the journal, reads included, and replayed on restart) it leaves
 * no trace. Verified on the pinned engine: a handshake sent during a 5.7 s query was answered only
 * when the query finished.
 */
public final class HandshakeProbe {
    private HandshakeProbe() {
    }

    /** True when the engine at host:port completed the handshake within {@code timeout}. */
    public static boolean answers(String host, int port, Duration timeout) {
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), millis);
            s.setSoTimeout(millis);
            s.getOutputStream().write(new byte[] {3, 0});
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            int version = in.read();
            return version == 3;
        } catch (IOException e) {
            return false;
        }
    }
}
