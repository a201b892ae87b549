package io.rayforce.cluster.router;

import io.rayforce.cluster.client.ClientOptions;
import io.rayforce.cluster.client.RayforceError;
import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.rayfall.RayfallPrinter;
import io.rayforce.cluster.client.rayfall.RayfallReader;
import io.rayforce.cluster.client.value.Encodable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.security.ClusterSecurity;
import io.rayforce.cluster.coordinator.store.ClusterConnection;
import io.rayforce.cluster.coordinator.store.ReadLeases;
import io.rayforce.cluster.router.admin.AdminFunctions;
import io.rayforce.cluster.router.exec.ClusterQueryError;
import io.rayforce.cluster.router.exec.Executor;
import io.rayforce.cluster.router.exec.NodeConnections;
import io.rayforce.cluster.router.exec.PlacementSource;
import io.rayforce.cluster.router.exec.QueryContext;
import io.rayforce.cluster.router.exec.QueryTimeoutError;
import io.rayforce.cluster.router.exec.QueryTrace;
import io.rayforce.cluster.router.exec.ResultLimits;
import io.rayforce.cluster.router.exec.UnsupportedQueryError;
import io.rayforce.cluster.router.globals.GlobalStatements;
import io.rayforce.cluster.router.globals.Globals;
import io.rayforce.cluster.router.globals.LocalGlobals;
import io.rayforce.cluster.router.globals.RequestGlobals;
import io.rayforce.cluster.router.globals.ZooKeeperGlobals;
import io.rayforce.cluster.router.ops.ErrorCodes;
import io.rayforce.cluster.router.ops.PlanText;
import io.rayforce.cluster.router.ops.QueryFunctions;
import io.rayforce.cluster.router.ops.QueryLog;
import io.rayforce.cluster.router.ops.RunningQuery;
import io.rayforce.cluster.router.plan.Plan;
import io.rayforce.cluster.router.plan.PlanEnv;
import io.rayforce.cluster.router.plan.ScratchEngine;
import io.rayforce.cluster.router.planner.CountedSizes;
import io.rayforce.cluster.router.planner.Estimates;
import io.rayforce.cluster.router.planner.Planner;
import io.rayforce.cluster.router.read.ReadLocks;
import io.rayforce.cluster.router.services.ClusterServices;
import io.rayforce.cluster.router.services.CoordinatorClient;
import io.rayforce.cluster.router.services.CoordinatorDirectory;
import io.rayforce.cluster.router.statement.Statement;
import io.rayforce.cluster.router.statement.Statements;
import io.rayforce.cluster.router.write.WritePath;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster as one Rayforce server, embedded in a Java application: {@code execute} takes the
 * same strings, values and query objects as {@code TCPClient} and answers what one server
 * holding all the data would.
 */
public final class ClusterClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterClient.class);
    private final PlacementSource placement;
    private final NodeConnections connections;
    private final ScratchEngine scratch = new ScratchEngine();
    /** Threads for plan steps that block (the scratch engine's requests), never the common pool. */
    private final ExecutorService blocking = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "rayforce-router-blocking");
        t.setDaemon(true);
        return t;
    });
    private final Planner planner = new Planner();
    private final PlanEnv env;
    private final QueryOptions defaults;
    private final WritePath writes;
    private final AdminFunctions admin;
    private final Globals globals;
    private final QueryLog queryLog = new QueryLog();
    private final ClusterSecurity security;
    private ClusterServices writeServices;
    /** What this client opened itself and closes with itself. */
    private AutoCloseable owned;

    /**
     * A client planning with {@code placement}; when it comes from ZooKeeper, the client protects
     * its links as that connection does ({@link ClusterConnection#security()}).
     */
    public ClusterClient(PlacementSource placement, ClientOptions nodeOptions, QueryOptions defaults) {
        this(placement, nodeOptions, defaults, placement instanceof ZooKeeperPlacement zk ? zk.connection().security()
                : ClusterSecurity.NONE);
    }

    /**
     * @param security the cluster secret (engine passwords, the members' token to coordinators) and
     *                 gRPC TLS; {@link ClusterSecurity#NONE} for none
     */
    public ClusterClient(PlacementSource placement, ClientOptions nodeOptions, QueryOptions defaults, ClusterSecurity security) {
        this.placement = placement;
        this.security = security;
        // a stalled engine still accepts connections (the kernel does): do not wait long for its handshake
        this.connections = new NodeConnections(nodeOptions.withMaxFrameBytes(Integer.MAX_VALUE - 8)
                .withConnectTimeout(Duration.ofMillis(Math.min(2000, nodeOptions.connectTimeout().toMillis()))), 8,
                security);
        this.env = new PlanEnv(new Executor(connections), scratch, blocking);
        this.defaults = defaults;
        this.writes = new WritePath(placement, nodeOptions, scratch, this::read, this::writeServices, security);
        this.admin = new AdminFunctions(placement, writes, this::read, new QueryFunctions(queryLog, new QueryFunctions.Explainer() {
            @Override
            public String plan(RayValue tree) {
                return explain(tree);
            }

            @Override
            public String analyze(RayValue tree) {
                return ClusterClient.this.analyze(tree);
            }
        }));
        int maxGlobal = Integer.getInteger(MAX_GLOBAL_BYTES_PROPERTY, Globals.DEFAULT_MAX_VALUE_BYTES);
        this.globals = placement instanceof ZooKeeperPlacement zk ? new ZooKeeperGlobals(zk.connection().curator(), maxGlobal)
                : new LocalGlobals(maxGlobal);
    }

    /** The system property that sets the most bytes one global may hold (docs/globals.md). */
    public static final String MAX_GLOBAL_BYTES_PROPERTY = "rayforce.cluster.maxGlobalBytes";

    public ClusterClient(PlacementSource placement) {
        this(placement, ClientOptions.DEFAULT, QueryOptions.DEFAULT);
    }

    /** A client of the cluster {@code cluster} whose metadata is in ZooKeeper at {@code zookeeper}. */
    public static ClusterClient connect(String zookeeper, String cluster) {
        return connect(zookeeper, cluster, ClusterSecurity.NONE);
    }

    /**
     * A router's ZooKeeper session timeout: short, so that when a router dies its locks (a write
     * lock mid-write, its read leases) go within about this long and the tables' readers recover
     * at once (docs/router.md, A dead writer). The ensemble's tick must allow it (sessions last 2
     * to 20 ticks unless configured otherwise; the cluster's own ZooKeeper ticks every 500 ms).
     */
    public static final Duration ROUTER_SESSION_TIMEOUT = Duration.ofSeconds(2);

    /** A client of a secured cluster: authenticated in ZooKeeper, with engine passwords and gRPC TLS (docs/security.md). */
    public static ClusterClient connect(String zookeeper, String cluster, ClusterSecurity security) {
        return connect(zookeeper, cluster, security, ROUTER_SESSION_TIMEOUT);
    }

    /** As above, with a ZooKeeper session of {@code sessionTimeout}. */
    public static ClusterClient connect(String zookeeper, String cluster, ClusterSecurity security, Duration sessionTimeout) {
        ZooKeeperPlacement placement = ZooKeeperPlacement.connect(zookeeper, cluster, sessionTimeout, security);
        ClusterClient c = new ClusterClient(placement, ClientOptions.DEFAULT, QueryOptions.DEFAULT, security);
        c.owned = placement;
        return c;
    }

    /** Evaluates Rayfall source on the cluster. */
    public RayValue execute(String rayfall) {
        return tracked(RayfallReader.read(rayfall), defaults).value();
    }

    /** Evaluates a value or query object on the cluster. */
    public RayValue execute(Encodable query) {
        return tracked(query.ipc(), defaults).value();
    }

    /** Runs a query and returns its answer with its coverage, trace and plan. */
    public QueryResult query(Encodable query, QueryOptions options) {
        return tracked(query.ipc(), options);
    }

    public QueryResult query(String rayfall, QueryOptions options) {
        return tracked(RayfallReader.read(rayfall), options);
    }

    /**
     * The plan the cluster would run, as text, each step with what it is expected to move over
     * the network (rows and bytes from the shards, and to the nodes), estimated from a cheap count
     * of the shards of the tables it reads; a step that cannot be estimated has no note. After a
     * run, {@link QueryResult#plan()} says what each step moved.
     */
    public String explain(String rayfall) {
        return explain(RayfallReader.read(rayfall));
    }

    /** The plan of {@code tree}, not run; a write says which statement of the write path it is. */
    private String explain(RayValue global) {
        RayValue tree = inlined(global, globalStatements(defaults, System.nanoTime()));
        ClusterSnapshot snapshot = placement.snapshot();
        Optional<Statement> statement = Statements.recognize(tree, snapshot);
        if (statement.isPresent()) {
            return statement.get().getClass().getSimpleName() + " (the write path, docs/router.md: not planned as a read)";
        }
        QueryContext ctx = new QueryContext(snapshot, Duration.ofSeconds(10), false);
        ctx.limitMemory(defaults.memoryBudgetBytes());
        Planner.checkExpression(tree, snapshot);
        CountedSizes sizes = new CountedSizes(env.executor(), ctx);
        for (String t : Planner.referencedTables(tree, snapshot)) {
            sizes.shardRows(snapshot.table(t).get());
        }
        Estimates estimates = new Estimates(snapshot, sizes);
        return planner.plan(tree, snapshot, sizes).explain(estimates::note);
    }

    /** Runs the read {@code tree} and returns its plan with what each step moved, and its timings. */
    private String analyze(RayValue global) {
        RayValue tree = inlined(global, globalStatements(defaults, System.nanoTime()));
        if (Statements.recognize(tree, placement.snapshot()).isPresent()) {
            throw new UnsupportedQueryError("(.cluster.explain ... 'analyze) runs reads only; explain a write without 'analyze");
        }
        long t0 = System.nanoTime();
        QueryResult r = readQuery(tree, defaults);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        List<QueryTrace.Attempt> attempts = r.trace().attempts();
        long slowest = attempts.stream().mapToLong(QueryTrace.Attempt::micros).max().orElse(0) / 1000;
        return r.plan() + "\nran in " + ms + " ms at epoch " + r.epoch() + ": answer of " + ResultLimits.rows(r.value())
                + " rows, " + attempts.size() + " shard requests (slowest " + slowest + " ms)";
    }

    /** The queries this client runs now and the slow ones it ran (docs/operations.md). */
    public QueryLog queryLog() {
        return queryLog;
    }

    /**
     * Runs a request as one query of the query log, unless it is part of the query already
     * running on this thread (a gateway request, a write reading its source).
     */
    private QueryResult tracked(RayValue tree, QueryOptions options) {
        if (queryLog.current() != null) {
            return query(tree, options);
        }
        RunningQuery q = queryLog.begin("", false, RayfallPrinter.abbreviated(tree, 8), null);
        String outcome = "ok";
        long rows = 0;
        try {
            QueryResult r = query(tree, options);
            rows = ResultLimits.rows(r.value());
            return r;
        } catch (RuntimeException | Error e) {
            outcome = ErrorCodes.of(e);
            throw e;
        } finally {
            queryLog.end(q, outcome, rows);
        }
    }

    private QueryResult query(RayValue tree, QueryOptions options) {
        // statements about globals, then the globals the request uses put into it (docs/globals.md)
        GlobalStatements statements = globalStatements(options, System.nanoTime());
        RayValue answer = statements.run(tree);
        if (answer != null) {
            return new QueryResult(answer, placement.snapshot().epoch(), List.of(), new QueryTrace(), "global");
        }
        return queryInlined(inlined(tree, statements), options);
    }

    /** {@code tree} with the values of the globals it uses put into it. */
    private RayValue inlined(RayValue tree, GlobalStatements statements) {
        return statements.inline(tree, placement.snapshot());
    }

    private GlobalStatements globalStatements(QueryOptions options, long started) {
        // one view of the globals for the request: each name read once (docs/globals.md)
        return new GlobalStatements(new RequestGlobals(globals), new GlobalStatements.Cluster() {
            @Override
            public ClusterSnapshot snapshot() {
                return placement.snapshot();
            }

            @Override
            public RayValue evaluate(RayValue tree) {
                return query(tree, options).value();
            }

            @Override
            public RayValue evaluateInlined(RayValue tree) {
                return queryInlined(tree, options).value();
            }

            @Override
            public void check(RayValue expression) {
                Planner.checkExpression(expression, placement.snapshot());
            }

            @Override
            public RayValue saveTable(String name, RayValue value, boolean countOnly) {
                return writes.execute(new Statement.Save(name, value, countOnly), options);
            }

            @Override
            public void dropTable(String name, String what) {
                writes.dropTable(name, what);
            }

            @Override
            public RayValue altered(RayValue value, List<RayValue> opAndArgs) {
                return scratch.altered(new QueryContext(placement.snapshot(), options.timeout(), false), value, opAndArgs);
            }

            @Override
            public void beginWrite(String what) {
                RunningQuery running = queryLog.current();
                if (running == null) {
                    return;
                }
                if (running.readOnly()) {
                    throw new RayforceEvaluationError("access", "user '" + running.user() + "' may only read: " + what
                            + " is refused");
                }
                if (!running.protectWrite()) {
                    throw new CancellationException("the request was cancelled before " + what + " started");
                }
            }

            @Override
            public void checkDeadline(String what) {
                if (options.timeout() != null && !options.timeout().isZero()
                        && System.nanoTime() - started > options.timeout().toNanos()) {
                    throw new QueryTimeoutError(options.timeout(), null);
                }
            }
        });
    }

    /** A request whose globals are inlined. */
    private QueryResult queryInlined(RayValue tree, QueryOptions options) {
        if (GlobalStatements.isValue(tree)) {
            // a value evaluates to itself: a string is not sent bare, where an engine would read it as source
            return new QueryResult(tree, placement.snapshot().epoch(), List.of(), new QueryTrace(), "value");
        }
        // writes, ipcsave and the .cluster.* admin functions (docs/router.md); everything else is read
        ClusterSnapshot snapshot = placement.snapshot();
        Optional<Statement> statement = Statements.recognize(tree, snapshot);
        if (statement.isEmpty()) {
            return readQuery(tree, options);
        }
        RunningQuery running = queryLog.current();
        if (running != null) {
            running.statement(statement.get() instanceof Statement.Admin a ? a.function() : statement.get().getClass().getSimpleName());
        }
        // refused before any lock, intent or engine request
        for (RayValue part : statement.get().clientExpressions()) {
            Planner.checkExpression(part, snapshot);
        }
        RayValue value = statement.get() instanceof Statement.Admin a ? admin.call(a.function(), a.args(), options)
                : writes.execute(statement.get(), options);
        return new QueryResult(value, placement.snapshot().epoch(), List.of(), new QueryTrace(), "write");
    }

    private RayValue read(RayValue tree, QueryOptions options) {
        return readQuery(tree, options).value();
    }

    /** The write path's cluster services: locks, sequences and the coordinator, when placement comes from ZooKeeper. */
    private synchronized ClusterServices writeServices() {
        if (writeServices == null && placement instanceof ZooKeeperPlacement zk) {
            writeServices = new ClusterServices(zk.connection().curator(), zk.connection().liveness(),
                    new CoordinatorClient(new CoordinatorDirectory(zk.connection().curator(), placement), Duration.ofMinutes(2),
                            security));
        }
        return writeServices;
    }

    /**
     * Runs a read under the read locks of the cluster tables it names, so it sees every write to
     * them whole or not at all (docs/architecture.md, Atomic visibility). The locks are taken
     * before the placement snapshot and the lock wait counts against the query's timeout. The
     * answer counts once the locks are known to have been held until it was complete (the
     * router's ZooKeeper session proven alive then, which may mean waiting for ZooKeeper to answer
     * again); when the session ended meanwhile, the read runs again under new locks.
     */
    private QueryResult readQuery(RayValue tree, QueryOptions options) {
        long start = System.nanoTime();
        long deadline = start + (options.timeout() == null || options.timeout().isZero() ? ReadLocks.NO_TIMEOUT_BOUND
                : options.timeout()).toNanos();
        // refused before any lock is taken or any engine asked
        ClusterSnapshot before = placement.snapshot();
        Planner.checkExpression(tree, before);
        Set<String> tables = Planner.referencedTables(tree, before);
        for (int attempt = 1; ; attempt++) {
            long waitFrom = System.nanoTime();
            try (ReadLeases.Held locks = writes.readLocks().lock(tables, options.timeout())) {
                queryLog.waitedForLocks(System.nanoTime() - waitFrom);
                ClusterSnapshot snapshot = placement.beginQuery();
                try {
                    // the tables were named at an earlier epoch: only a newer one can name more
                    Set<String> named = snapshot.epoch() == before.epoch() ? tables : Planner.referencedTables(tree, snapshot);
                    if (!tables.containsAll(named) && attempt < 3) {
                        before = snapshot;
                        tables = named; // a table was created meanwhile: lock it too
                        continue;
                    }
                    QueryContext ctx = new QueryContext(snapshot, options.timeout(), options.allowPartial(), options.hedgeAfter(),
                            start);
                    // routes whose answers are the answer's rows count them against the limits as they arrive
                    ctx.limitResults(options.limits());
                    ctx.limitMemory(options.memoryBudgetBytes());
                    ctx.readVersions(locks.versions());
                    // sizes (a cheap count of a table's shards) only when a step is sized from them: a join not co-located
                    CountedSizes sizes = new CountedSizes(env.executor(), ctx);
                    Plan plan = planner.plan(tree, snapshot, sizes);
                    RunningQuery running = queryLog.current();
                    if (running != null) {
                        running.reading(ctx, plan);
                    }
                    CompletableFuture<RayValue> f = plan.run(ctx, env);
                    RayValue value = await(f, ctx);
                    options.limits().check(value);
                    if (!heldUntilNow(locks, deadline, options)) {
                        log.info("a read's ZooKeeper session ended before its answer was confirmed; reading again (attempt {})",
                                attempt + 1);
                        continue;
                    }
                    Estimates estimated = new Estimates(snapshot, sizes.counted());
                    return new QueryResult(value, snapshot.epoch(), ctx.missing(), ctx.trace(),
                            plan.explain(p -> estimated.note(p) + PlanText.moved(ctx, p)), ctx.movedTotal()[1], ctx.sentTotal()[1],
                            ctx.memoryPeak());
                } finally {
                    placement.queryFinished(snapshot.epoch());
                }
            }
        }
    }

    /** Whether the read locks were held until now; fails the query when that cannot be known before its deadline. */
    private static boolean heldUntilNow(ReadLeases.Held locks, long deadline, QueryOptions options) {
        try {
            if (locks.heldUntil(System.nanoTime(), deadline)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterQueryError("interrupted while confirming the router's ZooKeeper session", e);
        }
        if (System.nanoTime() - deadline >= 0) {
            throw new QueryTimeoutError(options.timeout() == null || options.timeout().isZero() ? ReadLocks.NO_TIMEOUT_BOUND
                    : options.timeout(), "ZooKeeper did not confirm the router's session before the query's deadline, so "
                    + "the answer could not be known to be consistent");
        }
        return false;
    }

    /** Waits for the answer; a caller interrupted while waiting cancels the query's shard work. */
    private static RayValue await(CompletableFuture<RayValue> f, QueryContext ctx) {
        try {
            if (ctx.timeout() == null) {
                return f.get();
            }
            // the executor enforces the deadline per unit; this bounds the merge work too
            return f.get(ctx.timeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            ctx.cancel("the client went away");
            Thread.currentThread().interrupt();
            throw new ClusterQueryError("interrupted while waiting for the cluster", e);
        } catch (TimeoutException e) {
            ctx.cancel("timed out");
            throw new QueryTimeoutError(ctx.timeout(), null);
        } catch (ExecutionException e) {
            if (ctx.resultLimitExceeded() != null) {
                throw ctx.resultLimitExceeded(); // not the cancellations it caused
            }
            Throwable c = e.getCause() instanceof CompletionException ce && ce.getCause() != null
                    ? ce.getCause() : e.getCause();
            if (c instanceof RayforceError r) {
                throw r;
            }
            throw new ClusterQueryError("query failed: " + c, c);
        }
    }

    @Override
    public void close() {
        admin.loads().close();
        globals.close();
        writes.close();
        synchronized (this) {
            if (writeServices != null) {
                writeServices.close();
            }
        }
        connections.close();
        scratch.close();
        blocking.shutdownNow();
        if (owned != null) {
            try {
                owned.close();
            } catch (Exception e) {
                throw new ClusterQueryError("closing the cluster connection failed: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Lets {@code (.cluster.loadFile ...)} read files in {@code dir} on this machine, and no
     * others (docs/operations.md, Loading files); null turns it off (the default).
     */
    public void loadDirectory(Path dir) {
        admin.loads().directory(dir);
    }

    /** The placement this client plans with. */
    public PlacementSource placement() {
        return placement;
    }
}
