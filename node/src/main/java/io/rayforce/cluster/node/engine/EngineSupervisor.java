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
import io.rayforce.cluster.node.journal.CompactionReport;
import io.rayforce.cluster.node.journal.DataPathEntryCheck;
import io.rayforce.cluster.node.journal.EntryCheck;
import io.rayforce.cluster.node.journal.JournalCompactor;
import io.rayforce.cluster.node.journal.JournalFiles;
import io.rayforce.cluster.node.journal.JournalTimings;
import io.rayforce.cluster.node.journal.PoisonEntryFinder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
 *       snapshot), so whatever was acknowledged is back after a crash. Before every start the
 *       journal is compacted ({@link JournalCompactor#prepareForStart()}): reads are dropped,
 *       requests the data-path rule refuses are quarantined, writes are kept.</li>
 *   <li>An engine that dies (or never listens) while it recovers twice in a row has its journal
 *       searched for the entry that kills it ({@link PoisonEntryFinder}); that entry is
 *       quarantined and the engine started again.</li>
 *   <li>Every {@link SupervisorSettings#healthInterval()} it checks that the process lives and
 *       that the engine answers the IPC handshake ({@link HandshakeProbe}; no request, so nothing is
 *       journaled). A dead process, or one that answered nothing for
 *       {@link SupervisorSettings#hungAfter()} (then killed with SIGKILL), is restarted after an
 *       exponential backoff ({@link Backoff}); the backoff resets once the engine has run for
 *       {@link SupervisorSettings#stableAfter()}.</li>
 *   <li>On its own thread it keeps the journal small: {@code (.log.roll)} once the live journal
 *       passes {@link SupervisorSettings#journalRollBytes()}, {@code (.log.snapshot)} when the
 *       requests the snapshot does not hold pass {@link SupervisorSettings#snapshotJournalBytes()}
 *       or every {@link SupervisorSettings#snapshotInterval()}; each archived journal the engine
 *       leaves behind is folded into a segment of its writes ({@link JournalCompactor#foldArchives()}).</li>
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
    private final JournalTimings timings = new JournalTimings();
    private final JournalCompactor compactor;
    private final PoisonEntryFinder poisonFinder;
    private final EnginePidFile pidFile;
    private final Backoff backoff;
    private final List<Consumer<EngineStatus>> listeners = new CopyOnWriteArrayList<>();
    /** Held for every change of the journal's files while the engine runs (roll, snapshot, folding). */
    private final Object journalLock = new Object();
    private final AtomicBoolean upkeepRunning = new AtomicBoolean();
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
    private ExecutorService upkeep;
    /** Consecutive engine starts that failed while the engine recovered. */
    private int failedRecoveries;
    /**
     * The live journal's generation before a roll or snapshot whose outcome is unknown (the
     * request failed while the engine lived on), or 0. While set, the journal is left alone until
     * the engine has visibly rolled (the live generation changed) or restarts.
     */
    private long inDoubtGeneration;
    private volatile CompactionReport lastCompaction;

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
        this(binary, options, dataDir, settings, passwordForBoot, new DataPathEntryCheck());
    }

    /**
     * @param journalCheck what the journal keeps, drops and quarantines (the node's is {@link DataPathEntryCheck})
     */
    public EngineSupervisor(Path binary, ServerOptions options, Path dataDir, SupervisorSettings settings,
                            Function<String, String> passwordForBoot, EntryCheck journalCheck) {
        this.passwordForBoot = passwordForBoot;
        this.binary = binary;
        this.dataDir = dataDir.toAbsolutePath();
        this.settings = Objects.requireNonNull(settings, "settings");
        this.journal = new JournalFiles(this.dataDir.resolve("engine"));
        this.options = options.journal(journal.base(), settings.fsyncJournal());
        this.compactor = new JournalCompactor(journal, Objects.requireNonNull(journalCheck, "journalCheck"));
        this.poisonFinder = new PoisonEntryFinder(journal.scratch(), this.options.startupTimeout(),
                this.options.startupTimeout());
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
            install(launchRecovering(true));
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "engine-supervisor-" + port());
                t.setDaemon(true);
                return t;
            });
            upkeep = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "engine-journal-" + port());
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

    /** Failed starts in a row (while the engine recovers) after which the journal is searched for a poison entry. */
    private static final int FAILED_STARTS_BEFORE_SEARCH = 2;
    /** Poison entries one call may quarantine before it gives up (each costs two failed starts and a search). */
    private static final int MAX_QUARANTINED_PER_START = 16;

    /**
     * Compacts the journal and starts the engine. A start that fails while the engine recovers
     * (it exits or never listens; not a missing engine or a port in use) counts; at the second in
     * a row the journal is searched for the entry that kills the engine, which is quarantined, and
     * the engine is started again. On the first start a failure is retried at once; on a restart
     * it goes back to the backoff, and the next restart counts on.
     */
    private Launched launchRecovering(boolean firstStart) {
        int quarantined = 0;
        while (true) {
            JournalCompactor.Recovery recovery = compactor.prepareForStart();
            lastCompaction = recovery.report();
            RuntimeException failure;
            try {
                Launched l = launch();
                synchronized (this) {
                    failedRecoveries = 0;
                    inDoubtGeneration = 0;
                }
                return l;
            } catch (EngineBinary.EngineNotFoundException | NativeServer.PortInUseException e) {
                throw e;
            } catch (RuntimeException e) {
                failure = e;
            }
            int failed;
            synchronized (this) {
                failed = ++failedRecoveries;
                if (failed >= FAILED_STARTS_BEFORE_SEARCH) {
                    failedRecoveries = 0;
                }
            }
            if (failed < FAILED_STARTS_BEFORE_SEARCH) {
                if (firstStart) {
                    log.warn("engine on port {} failed to start ({}); trying once more", port(), failure.getMessage());
                    continue;
                }
                throw failure;
            }
            log.error("engine on port {} failed to start {} times in a row while recovering ({}): searching its journal "
                    + "for the entry that stops it", port(), failed, failure.getMessage());
            Optional<PoisonEntryFinder.Culprit> culprit = poisonFinder.find(engineBinary(), journal.snapshot(), recovery.sources());
            if (culprit.isEmpty() || ++quarantined > MAX_QUARANTINED_PER_START) {
                failure.addSuppressed(new IllegalStateException(culprit.isEmpty()
                        ? "no journal entry stops a scratch engine: the cause is elsewhere"
                        : "more than " + MAX_QUARANTINED_PER_START + " journal entries stopped the engine"));
                throw failure;
            }
            PoisonEntryFinder.Culprit c = culprit.get();
            compactor.quarantineAt(c.source().file(), c.entry().offset(), DataPathEntryCheck.poison(c.entry(), c.effect()));
        }
    }

    /** Starts the engine process (a new boot nonce and password) and waits until it listens (after replaying its journal). */
    private Launched launch() {
        Path exe = engineBinary();
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

    private Path engineBinary() {
        Path exe = binary != null ? binary : EngineBinary.locate();
        if (!Files.isExecutable(exe)) {
            throw new EngineBinary.EngineNotFoundException("the native Rayforce engine " + exe
                    + " does not exist or is not executable; install it with scripts/install-engine or set RAYFORCE_BIN");
        }
        return exe;
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
            scheduleUpkeep();
        }
    }

    /** Runs {@link #journalUpkeep()} on the journal thread unless it is running already. */
    private void scheduleUpkeep() {
        ExecutorService u;
        synchronized (this) {
            u = upkeep;
        }
        if (u == null || !upkeepRunning.compareAndSet(false, true)) {
            return;
        }
        try {
            u.execute(() -> {
                try {
                    journalUpkeep();
                } catch (RuntimeException e) {
                    log.warn("journal upkeep of the engine on port {} failed: {}", port(), e.getMessage());
                } finally {
                    upkeepRunning.set(false);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            upkeepRunning.set(false);
        }
    }

    /** Starts a new engine after a crash (outside the lock, so requests fail fast meanwhile); true when it is up. */
    private boolean restart() {
        Launched s;
        try {
            s = launchRecovering(false);
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

    /**
     * Keeps the journal small while the engine runs: folds archives left behind, rolls the live
     * journal once it passes {@link SupervisorSettings#journalRollBytes()}, and takes a snapshot
     * when the requests it does not hold pass {@link SupervisorSettings#snapshotJournalBytes()} or
     * when {@link SupervisorSettings#snapshotInterval()} has passed and there are writes to hold.
     */
    void journalUpkeep() {
        synchronized (journalLock) {
            if (!resolveDoubt()) {
                return;
            }
            if (!journal.archives().isEmpty()) {
                compactor.foldArchives();
            }
            long since;
            synchronized (this) {
                since = System.nanoTime() - lastSnapshotNanos;
            }
            boolean timed = since >= settings.snapshotInterval().toNanos();
            long live = journal.journalBytes();
            if (live > settings.journalRollBytes() || timed && live > SupervisorSettings.MIN_JOURNAL_FOR_TIMED_SNAPSHOT) {
                roll();
            }
            boolean big = compactor.uncoveredBytes() > settings.snapshotJournalBytes();
            boolean due = timed && compactor.uncoveredSegmentBytes() + journal.journalBytes() - JournalFiles.HEADER_BYTES
                    > SupervisorSettings.MIN_JOURNAL_FOR_TIMED_SNAPSHOT;
            if (big || due) {
                snapshot();
            } else if (timed) {
                synchronized (this) {
                    lastSnapshotNanos = System.nanoTime();
                }
            }
        }
    }

    /**
     * After a roll or snapshot whose outcome is unknown: true once the engine has visibly done it
     * (the live generation changed; its archive is then folded), false while it has not.
     */
    private boolean resolveDoubt() {
        long doubt;
        synchronized (this) {
            doubt = inDoubtGeneration;
        }
        if (doubt == 0) {
            return true;
        }
        if (journalGeneration() == doubt) {
            return false;
        }
        compactor.foldArchives();
        synchronized (this) {
            inDoubtGeneration = 0;
        }
        log.info("engine on port {}: the journal roll in doubt has happened; its archive is folded", port());
        return true;
    }

    private long journalGeneration() {
        return journal.journalGeneration();
    }

    /**
     * Rolls the live journal now ({@code (.log.roll)}) and folds the archive into a segment of its
     * writes. Returns the number of archives folded.
     *
     * @throws EngineUnavailableException while the engine is down
     */
    public int roll() {
        return journalCommand("(.log.roll)", "roll");
    }

    /**
     * Takes a snapshot now: {@code (.log.snapshot)} writes every global to {@code engine.qdb} and
     * rolls the journal; the archive (all of it covered) and the segments the snapshot now holds
     * are deleted. Returns the number of archives folded.
     *
     * @throws EngineUnavailableException while the engine is down
     */
    public int snapshot() {
        int n = journalCommand("(.log.snapshot)", "snapshot");
        synchronized (this) {
            lastSnapshotNanos = System.nanoTime();
            lastAnswerNanos = lastSnapshotNanos;
        }
        return n;
    }

    private int journalCommand(String command, String what) {
        synchronized (journalLock) {
            if (!resolveDoubt()) {
                throw new IllegalStateException("a journal roll of the engine on port " + port() + " is still in doubt");
            }
            if (!journal.archives().isEmpty()) {
                compactor.foldArchives();
            }
            long before = journal.journalBytes();
            long gen = journalGeneration();
            NativeServer running;
            synchronized (this) {
                running = server;
            }
            long t0 = System.nanoTime();
            try {
                client().executeReadOnly(command);
            } catch (RuntimeException e) {
                synchronized (this) {
                    if (server == running && running != null && running.isAlive()) {
                        inDoubtGeneration = gen;
                    }
                }
                throw e;
            }
            long t1 = System.nanoTime();
            timings.record(what, t1 - t0);
            var folded = compactor.foldArchives();
            log.info("engine on port {}: journal {} in {} ms (the live journal was {} bytes), folded in {} ms: {}", port(), what,
                    (t1 - t0) / 1_000_000, before, folded.millis(), folded);
            return (int) folded.archives();
        }
    }

    /** How long the journal commands ({@code snapshot}, {@code roll}) took, and when they last ran. */
    public JournalTimings journalTimings() {
        return timings;
    }

    /** What the journal's compaction before the last engine start did, or null before the first start. */
    public CompactionReport lastCompaction() {
        return lastCompaction;
    }

    /** Journal entries quarantined by this supervisor (they are kept in {@code engine.quarantine}). */
    public long quarantinedEntries() {
        return compactor.quarantine().count();
    }

    public JournalCompactor compactor() {
        return compactor;
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
        ExecutorService u;
        synchronized (this) {
            if (state == EngineState.STOPPED) {
                return;
            }
            state = EngineState.STOPPED;
            t = ticker;
            u = upkeep;
        }
        if (u != null) {
            u.shutdown(); // an upkeep step in progress finishes (each one is safe to interrupt, but need not be)
        }
        if (t != null) {
            t.shutdownNow();
            boolean interrupted = Thread.interrupted();
            try {
                t.awaitTermination(10, TimeUnit.SECONDS);
                if (u != null && !u.awaitTermination(30, TimeUnit.SECONDS)) {
                    u.shutdownNow();
                }
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
