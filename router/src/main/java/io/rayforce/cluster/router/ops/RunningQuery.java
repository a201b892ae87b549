package io.rayforce.cluster.router.ops;

import io.rayforce.cluster.router.exec.QueryContext;
import io.rayforce.cluster.router.exec.UnitId;
import io.rayforce.cluster.router.plan.Plan;
import io.rayforce.cluster.router.plan.Reused;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * A query from the moment a router took it until it was answered: who sent it, its text, when it
 * started, its plan and the shard work still out ({@code .cluster.queries}), and how to cancel
 * it ({@code .cluster.cancel}). Thread-safe.
 */
public final class RunningQuery {
    private final long id;
    private final String user;
    private final boolean readOnly;
    private final String text;
    private final Instant startedAt = Instant.now();
    private final long startNanos = System.nanoTime();
    private final Predicate<String> canceller;
    private volatile QueryContext context;
    private volatile Plan plan;
    private volatile String operator = "none";
    private volatile boolean statement;
    private volatile String cancelledBy;
    private volatile long lockWaitNanos;
    private volatile BooleanSupplier protectWrite = () -> true;

    /**
     * @param canceller cancels the query's request and says whether it took (a write under way
     *                  runs to completion); null to cancel its shard work directly
     */
    RunningQuery(long id, String user, boolean readOnly, String text, Predicate<String> canceller) {
        this.id = id;
        this.user = user == null ? "" : user;
        this.readOnly = readOnly;
        this.text = text;
        this.canceller = canceller;
    }

    public long id() {
        return id;
    }

    /** The name the client logged in with ("" without one). */
    public String user() {
        return user;
    }

    /** Whether the user may only read (and then sees only their own queries). */
    public boolean readOnly() {
        return readOnly;
    }

    /**
     * How a write the query turns out to make, though its request names none (a call of a global
     * function that writes), is protected from cancels: {@code protect} makes the request
     * uncancellable and says false when it was already cancelled.
     */
    public void protectWritesWith(BooleanSupplier protect) {
        this.protectWrite = protect;
    }

    /** Makes the query's request run to completion from now on; false when it was already cancelled. */
    public boolean protectWrite() {
        return protectWrite.getAsBoolean();
    }

    /** The request as the client sent it (Rayfall text), or an abbreviated print of its tree. */
    public String text() {
        return text;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public long elapsedNanos() {
        return System.nanoTime() - startNanos;
    }

    /**
     * The query reads with {@code ctx} along {@code plan} (a nested read replaces the one before);
     * a statement's reads (an ipcsave's source, an admin function's counts) keep its kind as the operator.
     */
    public void reading(QueryContext ctx, Plan p) {
        context = ctx;
        plan = p;
        if (!statement) {
            // a reused answer is named by what computes it
            Plan root = p instanceof Reused r ? r.inputs().get(0) : p;
            operator = root.getClass().getSimpleName();
        }
        if (cancelledBy != null) {
            ctx.cancel(cancelledBy);
        }
    }

    /** The query is a statement of the write path ({@code Insert}, {@code Save}, a {@code .cluster.*} function). */
    public void statement(String kind) {
        statement = true;
        operator = kind;
    }

    /** The query waited {@code nanos} for table read locks (added up over its reads). */
    void waitedForLocks(long nanos) {
        lockWaitNanos += nanos;
    }

    public long lockWaitNanos() {
        return lockWaitNanos;
    }

    /** Whether the query is a statement of the write path rather than a read. */
    public boolean isStatement() {
        return statement;
    }

    /** The plan's top operator, the statement's kind, or {@code none} before either is known. */
    public String operator() {
        return operator;
    }

    /** The plan the query reads along, or null. */
    public Plan plan() {
        return plan;
    }

    /** Its read's context (trace, what each step moved), or null before it reads. */
    public QueryContext context() {
        return context;
    }

    /** The units sent to replicas that have not answered yet. */
    public List<UnitId> pendingUnits() {
        QueryContext c = context;
        return c == null ? List.of() : c.pendingUnits();
    }

    /**
     * Cancels the query; false when it cannot be (a write that has started runs to completion,
     * as on one engine).
     */
    public boolean cancel(String reason) {
        if (canceller != null) {
            return canceller.test(reason);
        }
        cancelledBy = reason;
        QueryContext c = context;
        if (c != null) {
            c.cancel(reason);
        }
        return true;
    }

    @Override
    public String toString() {
        return "query " + id + " of " + QueryMeters.label(user) + ": " + text;
    }
}
