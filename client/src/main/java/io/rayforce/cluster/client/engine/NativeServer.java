package io.rayforce.cluster.client.engine;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One native Rayforce IPC server process ({@code rayforce -p PORT}) run in server-only mode:
 * started with stdin from /dev/null and its output captured, ready once it prints that it is
 * listening. {@link #close()} stops it (SIGTERM, then SIGKILL) and reaps it; a JVM shutdown hook
 * stops any still running, so no engine outlives the JVM that started it.
 */
public final class NativeServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NativeServer.class);
    private static final Set<NativeServer> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(NativeServer::kill), "rayforce-engine-reaper"));
    }

    private final ServerOptions options;
    private final Process process;
    private final Deque<String> output = new ArrayDeque<>();
    private final CountDownLatch listening = new CountDownLatch(1);

    private NativeServer(ServerOptions options, Process process) {
        this.options = options;
        this.process = process;
    }

    /** Starts a server and waits until it accepts connections. */
    public static NativeServer start(ServerOptions options) {
        return start(EngineBinary.locate(), options);
    }

    /** Starts a server on a free loopback port. */
    public static NativeServer startOnFreePort() {
        return startOnFreePort(ServerOptions.onPort(1));
    }

    /** Starts a server with {@code options} on a free port (retrying if another process takes it first). */
    public static NativeServer startOnFreePort(ServerOptions options) {
        PortInUseException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                return start(options.withPort(freePort()));
            } catch (PortInUseException e) {
                last = e;
            }
        }
        throw last;
    }

    public static NativeServer start(Path binary, ServerOptions options) {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.toString());
        cmd.addAll(options.arguments());
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the native engine " + binary + ": " + e.getMessage(), e);
        }
        NativeServer server = new NativeServer(options, p);
        RUNNING.add(server);
        server.pumpOutput();
        server.awaitListening();
        return server;
    }

    private void pumpOutput() {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (output) {
                        output.addLast(line);
                        if (output.size() > 100) {
                            output.removeFirst();
                        }
                    }
                    log.debug("rayforce:{} {}", options.port(), line);
                    if (line.startsWith("listening on")) {
                        listening.countDown();
                    }
                }
            } catch (IOException ignored) {
                // the process went away; awaitListening and isAlive report it
            }
        }, "rayforce-engine-output-" + options.port());
        t.setDaemon(true);
        t.start();
    }

    private void awaitListening() {
        Duration startup = options.startupTimeout();
        long deadline = System.nanoTime() + startup.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                if (listening.await(20, TimeUnit.MILLISECONDS)) {
                    return;
                }
                if (!process.isAlive()) {
                    process.waitFor(1, TimeUnit.SECONDS);
                    String out = output();
                    RUNNING.remove(this);
                    if (out.contains("failed to listen") || out.contains("in use")) {
                        throw new PortInUseException("port " + options.port() + " is in use: the engine could not listen ("
                                + out.strip() + ")");
                    }
                    throw new IllegalStateException("the native engine exited with code " + process.exitValue()
                            + " before listening on port " + options.port() + ": " + out.strip());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            throw new IllegalStateException("interrupted while starting the native engine", e);
        }
        kill();
        throw new IllegalStateException("the native engine did not listen on port " + options.port() + " within "
                + startup.toSeconds() + " s: " + output().strip());
    }

    public int port() {
        return options.port();
    }

    /** The address clients should use. */
    public String host() {
        return options.bindHost() == null ? "127.0.0.1" : options.bindHost();
    }

    public ServerOptions options() {
        return options;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Process process() {
        return process;
    }

    /** The last lines the engine printed. */
    public String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    /** Blocks until the process exits; returns its exit code. */
    public int waitFor() throws InterruptedException {
        int code = process.waitFor();
        RUNNING.remove(this);
        return code;
    }

    /** SIGKILL, as a crash would. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        RUNNING.remove(this);
    }

    /** Stops the server (SIGTERM, then SIGKILL after 5 s) and reaps it. */
    @Override
    public void close() {
        boolean interrupted = false;
        if (process.isAlive()) {
            process.destroy();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            // reap even when this thread is interrupted: the port must be free when close returns
            while (process.isAlive()) {
                try {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        process.destroyForcibly();
                        process.waitFor();
                    } else {
                        process.waitFor(left, TimeUnit.NANOSECONDS);
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                    process.destroyForcibly();
                }
            }
        }
        RUNNING.remove(this);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "NativeServer(" + host() + ":" + port() + ", pid " + process.pid() + ", " + (isAlive() ? "running" : "stopped") + ")";
    }

    /** A port nobody listens on right now. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The engine could not bind its port. */
    public static final class PortInUseException extends IllegalStateException {
        public PortInUseException(String message) {
            super(message);
        }
    }
}
