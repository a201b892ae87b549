package io.rayforce.cluster.router;

import io.rayforce.cluster.client.ClientOptions;
import io.rayforce.cluster.client.RayforceError;
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
import io.rayforce.cluster.router.plan.Plan;
import io.rayforce.cluster.router.plan.PlanEnv;
import io.rayforce.cluster.router.plan.ScratchEngine;
import io.rayforce.cluster.router.planner.Planner;
import io.rayforce.cluster.router.read.ReadLocks;
import io.rayforce.cluster.router.services.ClusterServices;
import io.rayforce.cluster.router.services.CoordinatorClient;
import io.rayforce.cluster.router.services.CoordinatorDirectory;
import io.rayforce.cluster.router.statement.Statement;
import io.rayforce.cluster.router.statement.Statements;
import io.rayforce.cluster.router.write.WritePath;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
        this.admin = new AdminFunctions(placement, writes, this::read);
    }

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
        return query(RayfallReader.read(rayfall), defaults).value();
    }

    /** Evaluates a value or query object on the cluster. */
    public RayValue execute(Encodable query) {
        return query(query.ipc(), defaults).value();
    }

    /** Runs a query and returns its answer with its coverage, trace and plan. */
    public QueryResult query(Encodable query, QueryOptions options) {
        return query(query.ipc(), options);
    }

    public QueryResult query(String rayfall, QueryOptions options) {
        return query(RayfallReader.read(rayfall), options);
    }

    /** The plan the cluster would run, as text. */
    public String explain(String rayfall) {
        return planner.plan(RayfallReader.read(rayfall), placement.snapshot()).explain();
    }

    private QueryResult query(RayValue tree, QueryOptions options) {
        // writes, ipcsave and the .cluster.* admin functions (docs/router.md); everything else is read
        ClusterSnapshot snapshot = placement.snapshot();
        Optional<Statement> statement = Statements.recognize(tree, snapshot);
        if (statement.isEmpty()) {
            return readQuery(tree, options);
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
            try (ReadLeases.Held locks = writes.readLocks().lock(tables, options.timeout())) {
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
                    Plan plan = planner.plan(tree, snapshot);
                    // routes whose answers are the answer's rows count them against the limits as they arrive
                    ctx.limitResults(options.limits());
                    ctx.limitMemory(options.memoryBudgetBytes());
                    ctx.readVersions(locks.versions());
                    CompletableFuture<RayValue> f = plan.run(ctx, env);
                    RayValue value = await(f, ctx);
                    options.limits().check(value);
                    if (!heldUntilNow(locks, deadline, options)) {
                        log.info("a read's ZooKeeper session ended before its answer was confirmed; reading again (attempt {})",
                                attempt + 1);
                        continue;
                    }
                    return new QueryResult(value, snapshot.epoch(), ctx.missing(), ctx.trace(), plan.explain(p -> moved(ctx, p)));
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

    /** What a step of a plan that ran brought to the router, for its explain line. */
    private static String moved(QueryContext ctx, Plan step) {
        long[] m = ctx.moved(step);
        return m == null ? "" : "  [moved " + m[0] + " rows, " + m[1] + " bytes]";
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

    /** The placement this client plans with. */
    public PlacementSource placement() {
        return placement;
    }
}
