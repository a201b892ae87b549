package io.rayforce.cluster.node.engine;

import io.rayforce.cluster.client.ClientOptions;
import io.rayforce.cluster.client.RayforceError;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.engine.EngineBinary;
import io.rayforce.cluster.client.engine.NativeServer;
import io.rayforce.cluster.client.engine.ServerOptions;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Str;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one native engine under supervision, with its data kept across restarts.
 *
 * <ul>
 *   <li>The engine runs as {@code rayforce -p PORT -l DATA/engine}: every sync request is
 *       journaled before it runs, and a restart replays the journal (after loading the last
 *       snapshot), so whatever was acknowledged is back after a crash.</li>
 *   <li>Every {@link SupervisorSettings#healthInterval()} it checks that the process lives and
 *       that the engine answers the IPC handshake ({@link HandshakeProbe}; no request, so nothing is
 *       journaled). A dead process, or one that answered nothing for
 *       {@link SupervisorSettings#hungAfter()} (then killed with SIGKILL), is restarted after an
 *       exponential backoff ({@link Backoff}); the backoff resets once the engine has run for
 *       {@link SupervisorSettings#stableAfter()}.</li>
 *   <li>It compacts the journal with {@code (.log.snapshot)} when the journal passes
 *       {@link SupervisorSettings#snapshotJournalBytes()} or every
 *       {@link SupervisorSettings#snapshotInterval()}, and deletes the archived journals the engine
 *       leaves behind.</li>
 *   <li>{@link #close()} stops it with SIGTERM (the engine has no handler and exits at once;
 *       journaled writes reached the OS before their reply, so nothing acknowledged is lost).</li>
 * </ul>
 *
 * <p>Passwords: with a {@code passwordForBoot} function, every start of the engine draws a new
 * random boot nonce ({@link #bootNonce()}) and runs the engine with {@code -u} and the password
 * the function derives from it; the supervisor's own connections send that password. The health
 * probe needs none: the engine answers the handshake's first two bytes before any password.
 *
 * Listeners hear every change of {@link EngineStatus} (on the supervisor's thread, or on the
 * caller's for {@link #start()} and {@link #close()}).
 */
public final class EngineSupervisor implements LocalEngine, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EngineSupervisor.class);
    /** The user name cluster members send to engines (the engine checks only the password). */
    public static final String ENGINE_USER = "rfc";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path binary;
    private final ServerOptions options;
    private final Path dataDir;
    private final SupervisorSettings settings;
    private final JournalFiles journal;
    private final EnginePidFile pidFile;
    private final Backoff backoff;
    private final List<Consumer<EngineStatus>> listeners = new CopyOnWriteArrayList<>();
    private final Object snapshotLock = new Object();
    private final Function<String, String> passwordForBoot;

    // guarded by this
    private EngineState state = EngineState.NEW;
    private NativeServer server;
    private TCPClient client;
    private volatile String version = "";
    private volatile String bootNonce = "";
    private volatile String password;
    private int restarts;
    private String lastProblem = "";
    private long upSinceNanos;
    private long lastAnswerNanos;
    private long nextStartNanos;
    private long lastSnapshotNanos;
    private ScheduledExecutorService ticker;

    /**
     * @param binary   the engine executable, or null for the project's ({@link EngineBinary#locate()})
     * @param options  port, bind address, cores and memory budget; the journal is set here
     * @param dataDir  the node's data directory: the journal base is {@code dataDir/engine}
     */
    public EngineSupervisor(Path binary, ServerOptions options, Path dataDir, SupervisorSettings settings) {
        this(binary, options, dataDir, settings, null);
    }

    /**
     * @param passwordForBoot the engine's password for a boot nonce, or null to run it without one
     */
    public EngineSupervisor(Path binary, ServerOptions options, Path dataDir, SupervisorSettings settings,
                            Function<String, String> passwordForBoot) {
        this.passwordForBoot = passwordForBoot;
        this.binary = binary;
        this.dataDir = dataDir.toAbsolutePath();
        this.settings = Objects.requireNonNull(settings, "settings");
        this.journal = new JournalFiles(this.dataDir.resolve("engine"));
        this.options = options.journal(journal.base(), settings.fsyncJournal());
        this.pidFile = new EnginePidFile(this.dataDir.resolve("engine.pid"), journal.base());
        this.backoff = new Backoff(settings.backoffInitial(), settings.backoffMax());
    }

    public void addListener(Consumer<EngineStatus> listener) {
        listeners.add(listener);
    }

    /**
     * Starts the engine and the supervision. The first start must succeed: a missing engine, a
     * port in use or a journal held by another process fails here with the engine's reason.
     */
    public void start() {
        synchronized (this) {
            if (state != EngineState.NEW) {
                throw new IllegalStateException("engine supervisor for port " + port() + " already started");
            }
            try {
                Files.createDirectories(dataDir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the data directory " + dataDir + ": " + e.getMessage(), e);
            }
            pidFile.stopOrphan();
            install(launch());
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "engine-supervisor-" + port());
                t.setDaemon(true);
                return t;
            });
            long period = settings.healthInterval().toMillis();
            ticker.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
        }
        notifyListeners();
    }

    /** A started engine with the boot nonce and password it runs with. */
    private record Launched(NativeServer server, String nonce, String password) {
    }

    /** Starts the engine process (a new boot nonce and password) and waits until it listens (after replaying its journal). */
    private Launched launch() {
        Path exe = binary != null ? binary : EngineBinary.locate();
        if (!Files.isExecutable(exe)) {
            throw new EngineBinary.EngineNotFoundException("the native Rayforce engine " + exe
                    + " does not exist or is not executable; install it with scripts/install-engine or set RAYFORCE_BIN");
        }
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        String nonce = HexFormat.of().formatHex(random);
        String pw = passwordForBoot == null ? null : passwordForBoot.apply(nonce);
        NativeServer s = NativeServer.start(exe, pw == null ? options : options.password(pw));
        pidFile.write(s.pid());
        String v = readVersion(pw);
        if (!v.isEmpty()) {
            version = v;
        }
        return new Launched(s, nonce, pw);
    }

    /** Makes a started engine the current one; the state becomes UP. Caller holds the lock. */
    private void install(Launched launched) {
        NativeServer s = launched.server();
        bootNonce = launched.nonce();
        password = launched.password();
        server = s;
        long now = System.nanoTime();
        upSinceNanos = now;
        lastAnswerNanos = now;
        if (lastSnapshotNanos == 0) {
            lastSnapshotNanos = now;
        }
        state = EngineState.UP;
        log.info("engine up on port {} (pid {}, version {}, journal {})", port(), s.pid(), version, journal.base());
    }

    /** The engine's version from {@code (.sys.build)} (one small journaled request per start), or "" on failure. */
    private String readVersion(String pw) {
        ClientOptions o = clientOptions(pw);
        try (TCPClient c = new TCPClient(host(), port(), o)) {
            RayValue v = c.executeReadOnly("(.sys.build)");
            if (v instanceof RayDict d && d.get("version") instanceof Str s) {
                return s.value();
            }
            return String.valueOf(v);
        } catch (RuntimeException e) {
            log.warn("engine on port {} did not report its version: {}", port(), e.getMessage());
            return "";
        }
    }

    private void tick() {
        try {
            check();
        } catch (Throwable t) {
            log.error("engine supervisor on port {}: {}", port(), t.toString(), t);
        }
    }

    private void check() {
        boolean changed = false;
        NativeServer running;
        boolean restartDue = false;
        synchronized (this) {
            if (state == EngineState.STOPPED) {
                return;
            }
            running = server;
            long now = System.nanoTime();
            if (state == EngineState.DOWN) {
                restartDue = now - nextStartNanos >= 0;
                running = null;
            } else if (!running.isAlive()) {
                int code = running.process().exitValue();
                goDown("exited with code " + code + describeSignal(code) + ": " + running.output().strip().replace("\n", " | "));
                changed = true;
                running = null;
            } else if (now - upSinceNanos > settings.stableAfter().toNanos()) {
                backoff.reset();
            }
        }
        if (restartDue) {
            changed = restart();
        }
        if (changed) {
            notifyListeners();
        }
        if (running == null) {
            return;
        }
        boolean answered = HandshakeProbe.answers(host(), port(), settings.probeTimeout());
        synchronized (this) {
            if (state != EngineState.UP || server != running) {
                return;
            }
            long now = System.nanoTime();
            if (answered) {
                lastAnswerNanos = now;
            } else if (now - lastAnswerNanos > settings.hungAfter().toNanos() && running.isAlive()) {
                running.kill();
                goDown("answered no handshake for " + settings.hungAfter().toMillis() + " ms: killed (SIGKILL)");
                changed = true;
            }
        }
        if (changed) {
            notifyListeners();
            return;
        }
        if (answered) {
            maybeSnapshot();
        }
    }

    /** Starts a new engine after a crash (outside the lock, so requests fail fast meanwhile); true when it is up. */
    private boolean restart() {
        Launched s;
        try {
            s = launch();
        } catch (RuntimeException e) {
            synchronized (this) {
                lastProblem = "restart failed: " + e.getMessage();
                Duration wait = backoff.next();
                nextStartNanos = System.nanoTime() + wait.toNanos();
                log.error("engine on port {} failed to restart (next attempt in {} ms): {}", port(), wait.toMillis(),
                        e.getMessage());
            }
            return false;
        }
        synchronized (this) {
            if (state == EngineState.STOPPED) {
                Reaper.stop(s.server());
                return false;
            }
            restarts++;
            install(s);
        }
        return true;
    }

    private static String describeSignal(int code) {
        return code > 128 && code < 160 ? " (signal " + (code - 128) + ")" : "";
    }

    /** Marks the engine down and schedules the restart. Caller holds the lock. */
    private void goDown(String problem) {
        lastProblem = problem;
        state = EngineState.DOWN;
        if (client != null) {
            client.close();
            client = null;
        }
        if (server != null && server.isAlive()) {
            server.kill();
        }
        server = null;
        Duration wait = backoff.next();
        nextStartNanos = System.nanoTime() + wait.toNanos();
        log.warn("engine on port {} {}; restarting in {} ms", port(), problem, wait.toMillis());
    }

    private void maybeSnapshot() {
        long bytes = journal.journalBytes();
        long since;
        synchronized (this) {
            since = System.nanoTime() - lastSnapshotNanos;
        }
        boolean big = bytes > settings.snapshotJournalBytes();
        boolean due = since >= settings.snapshotInterval().toNanos() && bytes > SupervisorSettings.MIN_JOURNAL_FOR_TIMED_SNAPSHOT;
        if (big || due) {
            try {
                snapshot();
            } catch (RuntimeException e) {
                log.warn("snapshot of the engine on port {} failed: {}", port(), e.getMessage());
            }
        }
    }

    /**
     * Compacts the journal now: {@code (.log.snapshot)} writes every global to {@code engine.qdb}
     * and starts an empty journal; the archived journal is then deleted. Returns how many archived
     * journals were deleted.
     *
     * @throws EngineUnavailableException while the engine is down
     */
    public int snapshot() {
        synchronized (snapshotLock) {
            long journalBefore = journal.journalBytes();
            long t0 = System.nanoTime();
            client().executeReadOnly("(.log.snapshot)");
            synchronized (this) {
                lastSnapshotNanos = System.nanoTime();
                lastAnswerNanos = lastSnapshotNanos;
            }
            int deleted = journal.deleteArchives();
            log.info("engine on port {}: snapshot taken in {} ms (journal was {} bytes; {} archived journal(s) deleted)",
                    port(), (System.nanoTime() - t0) / 1_000_000, journalBefore, deleted);
            return deleted;
        }
    }

    @Override
    public synchronized TCPClient client() {
        if (state != EngineState.UP) {
            throw new EngineUnavailableException("the engine on port " + port() + " is " + describe());
        }
        return openClient();
    }

    /** Caller holds the lock and the engine is up. */
    private TCPClient openClient() {
        if (client == null || !client.isAlive()) {
            if (client != null) {
                client.close();
            }
            try {
                client = new TCPClient(host(), port(), clientOptions(password));
            } catch (RayforceError e) {
                throw new EngineUnavailableException("cannot connect to the engine on port " + port() + ": " + e.getMessage(), e);
            }
        }
        return client;
    }

    /** The options of the supervisor's own connections: its request timeout, and the boot's password if any. */
    private ClientOptions clientOptions(String pw) {
        ClientOptions o = ClientOptions.DEFAULT.withRequestTimeout(settings.requestTimeout());
        return pw == null ? o : o.withCredentials(ENGINE_USER, pw);
    }

    /**
     * The nonce of the engine's current boot (random per start; published in the node's
     * {@code NodeInfo} so routers and other nodes can derive the boot's password), or "" before
     * the first start.
     */
    public String bootNonce() {
        return bootNonce;
    }

    private String describe() {
        return switch (state) {
            case NEW -> "not started yet";
            case UP -> "up";
            case DOWN -> "down and restarting (" + lastProblem + ")";
            case STOPPED -> "stopped";
        };
    }

    @Override
    public synchronized EngineStatus status() {
        return new EngineStatus(state, server != null && server.isAlive() ? server.pid() : -1, version, restarts, lastProblem);
    }

    public int port() {
        return options.port();
    }

    /** The address the agent uses for its own connections to the engine. */
    public String host() {
        return options.bindHost() == null ? "127.0.0.1" : options.bindHost();
    }

    public Path dataDir() {
        return dataDir;
    }

    public JournalFiles journal() {
        return journal;
    }

    public SupervisorSettings settings() {
        return settings;
    }

    private void notifyListeners() {
        EngineStatus s = status();
        for (Consumer<EngineStatus> l : listeners) {
            try {
                l.accept(s);
            } catch (RuntimeException e) {
                log.warn("engine status listener failed: {}", e.toString());
            }
        }
    }

    /** Stops supervision and the engine (SIGTERM, then reaped). Idempotent. */
    @Override
    public void close() {
        ScheduledExecutorService t;
        synchronized (this) {
            if (state == EngineState.STOPPED) {
                return;
            }
            state = EngineState.STOPPED;
            t = ticker;
        }
        if (t != null) {
            t.shutdownNow();
            boolean interrupted = Thread.interrupted();
            try {
                t.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        synchronized (this) {
            if (client != null) {
                client.close();
                client = null;
            }
            if (server != null) {
                Reaper.stop(server);
                log.info("engine on port {} stopped", port());
                server = null;
            }
            pidFile.delete();
        }
        notifyListeners();
    }

    @Override
    public String toString() {
        return "EngineSupervisor(port " + port() + ", " + journal.base() + ", " + status().state() + ")";
    }
}
