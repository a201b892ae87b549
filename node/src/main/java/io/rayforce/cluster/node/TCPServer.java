package io.rayforce.cluster.node;

import io.rayforce.cluster.client.engine.EngineBinary;
import io.rayforce.cluster.client.engine.NativeServer;
import io.rayforce.cluster.client.engine.ServerOptions;
import io.rayforce.cluster.node.engine.Reaper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A native Rayforce IPC server on one port, mirroring rayforce-py's {@code TCPServer}:
 *
 * <pre>{@code
 * TCPServer server = new TCPServer(5000);   // TCPServer(port=5000)
 * server.listen();                          // blocks until stopped
 * }</pre>
 *
 * {@link #listen()} starts the native engine ({@code rayforce -p PORT}) and blocks until the
 * server stops: {@link #close()} from another thread, an interrupt of the listening thread, or
 * the engine process exiting (a client's {@code (exit 0)}, a signal, the JVM shutting down).
 * When it returns the engine process has been stopped (SIGTERM) and reaped, so the port is free.
 * A port in use fails with {@link NativeServer.PortInUseException}, a missing engine executable
 * with {@link EngineBinary.EngineNotFoundException}; both messages say what to do.
 */
public final class TCPServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TCPServer.class);

    private final ServerOptions options;
    private final Path engine;
    private final Object lock = new Object();
    private NativeServer server;
    private boolean listening;
    private boolean closed;
    private Integer lastExitCode;

    /** A server on {@code port} (all interfaces), as rayforce-py's {@code TCPServer(port)}. */
    public TCPServer(int port) {
        this(ServerOptions.onPort(checkPort(port)));
    }

    /** A server with full engine options (bind address, cores, password, journal, memory budget). */
    public TCPServer(ServerOptions options) {
        this(options, null);
    }

    /**
     * A server run by the engine executable {@code engine}; null means the project's engine
     * ({@link EngineBinary#locate()}), found when {@link #listen()} starts.
     */
    public TCPServer(ServerOptions options, Path engine) {
        this.options = Objects.requireNonNull(options, "options");
        checkPort(options.port());
        this.engine = engine;
    }

    private static int checkPort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("invalid port " + port + ": must be 1..65535");
        }
        return port;
    }

    public int port() {
        return options.port();
    }

    /**
     * Starts the native server and blocks until it stops (see the class comment). Returns
     * normally when stopped by {@link #close()}, an interrupt (the thread's interrupt flag is then
     * set again) or the engine's own exit ({@link #lastExitCode()} tells which code it gave).
     *
     * @throws NativeServer.PortInUseException when another process holds the port
     * @throws EngineBinary.EngineNotFoundException when the engine executable is missing
     * @throws IllegalStateException when the server is already listening or was closed
     */
    public void listen() {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException(this + " is closed");
            }
            if (listening) {
                throw new IllegalStateException(this + " is already listening");
            }
            listening = true;
            lastExitCode = null;
        }
        NativeServer started = null;
        try {
            started = start();
            synchronized (lock) {
                if (closed) {
                    return;
                }
                server = started;
            }
            log.info("{} listening (engine pid {})", this, started.pid());
            int code = started.process().waitFor();
            synchronized (lock) {
                if (!closed) {
                    lastExitCode = code;
                    log.warn("{}: the engine exited by itself with code {}: {}", this, code, started.output().strip());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.info("{} interrupted: stopping", this);
        } catch (IllegalStateException e) {
            if (!Thread.currentThread().isInterrupted() || e instanceof NativeServer.PortInUseException
                    || e instanceof EngineBinary.EngineNotFoundException) {
                throw e;
            }
            // interrupted while the engine was starting: NativeServer has already killed it
        } finally {
            if (started != null) {
                Reaper.stop(started);
            }
            synchronized (lock) {
                server = null;
                listening = false;
            }
        }
    }

    private NativeServer start() {
        Path binary = engine != null ? engine : EngineBinary.locate();
        if (!Files.isExecutable(binary)) {
            throw new EngineBinary.EngineNotFoundException("the native Rayforce engine " + binary
                    + " does not exist or is not executable; install it with scripts/install-engine or set RAYFORCE_BIN");
        }
        try {
            return NativeServer.start(binary, options);
        } catch (NativeServer.PortInUseException e) {
            throw new NativeServer.PortInUseException("cannot listen on port " + port()
                    + ": it is in use by another process (" + e.getMessage() + ")");
        }
    }

    /** True while {@link #listen()} runs. */
    public boolean isListening() {
        synchronized (lock) {
            return listening;
        }
    }

    /** The engine's process id while it runs. */
    public OptionalLong pid() {
        synchronized (lock) {
            return server == null ? OptionalLong.empty() : OptionalLong.of(server.pid());
        }
    }

    /** The exit code of the engine when it stopped by itself during the last {@link #listen()}, else null. */
    public Integer lastExitCode() {
        synchronized (lock) {
            return lastExitCode;
        }
    }

    /**
     * Stops the server: SIGTERM to the engine (the engine has no handler and exits at once;
     * acknowledged journaled writes are not lost), then waits until it is reaped. The pending
     * {@link #listen()} returns. Idempotent; a closed server cannot listen again.
     */
    @Override
    public void close() {
        NativeServer s;
        synchronized (lock) {
            closed = true;
            s = server;
        }
        if (s != null) {
            Reaper.stop(s);
        }
    }

    @Override
    public String toString() {
        return "TCPServer(port=" + port() + ")";
    }
}
