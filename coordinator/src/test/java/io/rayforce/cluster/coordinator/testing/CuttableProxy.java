package io.rayforce.cluster.coordinator.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy in front of one server, for a client cut off from it while others still reach it
 * (a network partition): it forwards both ways, can hold what the client sends (the server's
 * messages still come through), and can cut every connection and refuse new ones until
 * restored.
 */
public final class CuttableProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final Object gate = new Object();
    private volatile boolean holding;
    private volatile boolean cut;
    private volatile boolean closed;

    /** Forwards a local port to {@code host:port}. */
    public CuttableProxy(String host, int port) throws IOException {
        this.target = new InetSocketAddress(host, port);
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::accept, "proxy-accept");
        t.setDaemon(true);
        t.start();
    }

    /** A ZooKeeper connect string through the proxy. */
    public String connectString() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    /** What the clients send is held (not forwarded) until {@link #restore}; the server's messages still come through. */
    public void holdRequests() {
        holding = true;
    }

    /** Closes every connection and refuses new ones (accepted and closed at once) until {@link #restore}. */
    public void cut() {
        cut = true;
        open.forEach(CuttableProxy::closeQuietly);
        open.clear();
        synchronized (gate) {
            gate.notifyAll();
        }
    }

    /** Forwards again, and accepts new connections. */
    public void restore() {
        cut = false;
        holding = false;
        synchronized (gate) {
            gate.notifyAll();
        }
    }

    @Override
    public void close() {
        closed = true;
        cut();
        closeQuietly(listener);
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                if (cut) {
                    client.close();
                    continue;
                }
                Socket server = new Socket(target.getAddress(), target.getPort());
                open.add(client);
                open.add(server);
                pump(client, server, false);
                pump(server, client, true);
            } catch (IOException e) {
                // closed, or the server refused: the client sees its connection end
            }
        }
    }

    private void pump(Socket from, Socket to, boolean fromServer) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    synchronized (gate) {
                        while (!fromServer && holding && !cut) {
                            gate.wait();
                        }
                    }
                    if (cut) {
                        return;
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // cut or closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // already closed
        }
    }
}
