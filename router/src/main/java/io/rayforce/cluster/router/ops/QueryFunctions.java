package io.rayforce.cluster.router.ops;

import io.rayforce.cluster.client.rayfall.RayfallReader;
import io.rayforce.cluster.client.value.BoolAtom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Str;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.TimestampVector;
import io.rayforce.cluster.router.exec.UnitId;
import io.rayforce.cluster.router.exec.UnsupportedQueryError;
import io.rayforce.cluster.router.statement.Statements;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The gateway functions about queries, callable by any client (docs/operations.md):
 * <pre>
 * (.cluster.explain "query")            the plan: its operator tree, what each shard computes and sends
 * (.cluster.explain "query" 'analyze)   runs it (reads only): the tree with the rows and bytes each step moved, timings
 * (.cluster.queries)                    running queries: id user query started elapsedMs plan shardsPending waitingOn
 * (.cluster.cancel id)                  cancels a running query: 1b, or 0b when none runs with that id (or it is a write under way)
 * (.cluster.slowlog)                    the last slow queries, newest first, with their plans and timings
 * </pre>
 * A read-only user sees only their own queries.
 */
public final class QueryFunctions {
    /** The functions this class answers. */
    public static final List<String> FUNCTIONS = List.of(".cluster.explain", ".cluster.queries", ".cluster.cancel",
            ".cluster.slowlog");
    /** How many pending units {@code waitingOn} names. */
    private static final int WAITING_SHOWN = 8;

    /** Plans a request, or runs it as a read and says what it did. */
    public interface Explainer {
        /** The plan of {@code tree}, not run. */
        String plan(RayValue tree);

        /** Runs {@code tree} (a read) and returns its plan with what each step moved, and its timings. */
        String analyze(RayValue tree);
    }

    private final QueryLog log;
    private final Explainer explainer;

    public QueryFunctions(QueryLog log, Explainer explainer) {
        this.log = log;
        this.explainer = explainer;
    }

    /** Runs {@code function} (one of {@link #FUNCTIONS}) with its arguments as the client wrote them. */
    public RayValue call(String function, List<RayValue> args) {
        return switch (function) {
            case ".cluster.explain" -> explain(args);
            case ".cluster.queries" -> queries(args);
            case ".cluster.cancel" -> cancel(args);
            case ".cluster.slowlog" -> slowlog(args);
            default -> throw new IllegalArgumentException("not a query function: " + function);
        };
    }

    private RayValue explain(List<RayValue> args) {
        String usage = "(.cluster.explain \"query\" ['analyze])";
        if (args.isEmpty() || args.size() > 2 || !(args.get(0) instanceof Str text) || text.isNull()) {
            throw new UnsupportedQueryError("expected the query as a string: " + usage);
        }
        boolean analyze = false;
        if (args.size() == 2) {
            if (!(args.get(1) instanceof Symbol s) || !s.name().equals("analyze")) {
                throw new UnsupportedQueryError("the second argument may only be 'analyze: " + usage);
            }
            analyze = true;
        }
        RayValue tree = RayfallReader.read(text.value());
        return Str.of(analyze ? explainer.analyze(tree) : explainer.plan(tree));
    }

    private RayValue queries(List<RayValue> args) {
        arity(args, 0, "(.cluster.queries)");
        List<RunningQuery> qs = visible(log.running(), RunningQuery::user);
        int n = qs.size();
        long[] id = new long[n];
        long[] elapsed = new long[n];
        long[] pending = new long[n];
        Instant[] started = new Instant[n];
        String[] users = new String[n];
        String[] plans = new String[n];
        RayValue[] texts = new RayValue[n];
        RayValue[] waiting = new RayValue[n];
        for (int i = 0; i < n; i++) {
            RunningQuery q = qs.get(i);
            List<UnitId> units = q.pendingUnits();
            id[i] = q.id();
            users[i] = QueryMeters.label(q.user());
            texts[i] = Str.of(q.text());
            started[i] = q.startedAt();
            elapsed[i] = q.elapsedNanos() / 1_000_000;
            plans[i] = q.operator();
            pending[i] = units.size();
            waiting[i] = Str.of(units.stream().limit(WAITING_SHOWN).map(u -> u.table() + "/" + u.shard())
                    .collect(Collectors.joining(" ")) + (units.size() > WAITING_SHOWN ? " ..." : ""));
        }
        return RayTable.builder().column("id", new I64Vector(id)).column("user", new SymbolVector(users))
                .column("query", RayList.of(texts)).column("started", TimestampVector.of(started))
                .column("elapsedMs", new I64Vector(elapsed)).column("plan", new SymbolVector(plans))
                .column("shardsPending", new I64Vector(pending)).column("waitingOn", RayList.of(waiting)).build();
    }

    private RayValue cancel(List<RayValue> args) {
        String usage = "(.cluster.cancel id)";
        arity(args, 1, usage);
        Long id = Statements.integer(args.get(0));
        if (id == null) {
            throw new UnsupportedQueryError("expected a query id (an integer from (.cluster.queries)): " + usage);
        }
        RunningQuery me = log.current();
        String by = me == null ? "an operator" : "query " + me.id() + " of " + QueryMeters.label(me.user());
        return new BoolAtom(log.find(id).filter(q -> q != me).map(q -> q.cancel("cancelled by (.cluster.cancel " + id + ") from "
                + by)).orElse(false));
    }

    private RayValue slowlog(List<RayValue> args) {
        arity(args, 0, "(.cluster.slowlog)");
        List<SlowQuery> qs = visible(log.slow(), SlowQuery::user);
        int n = qs.size();
        long[] id = new long[n];
        long[] ms = new long[n];
        long[] rows = new long[n];
        long[] lockWait = new long[n];
        long[] requests = new long[n];
        long[] slowest = new long[n];
        Instant[] started = new Instant[n];
        String[] users = new String[n];
        String[] outcomes = new String[n];
        RayValue[] texts = new RayValue[n];
        RayValue[] plans = new RayValue[n];
        for (int i = 0; i < n; i++) {
            SlowQuery q = qs.get(i);
            id[i] = q.id();
            users[i] = QueryMeters.label(q.user());
            texts[i] = Str.of(q.text());
            started[i] = q.startedAt();
            ms[i] = q.millis();
            outcomes[i] = q.outcome();
            rows[i] = q.rows();
            lockWait[i] = q.lockWaitMillis();
            requests[i] = q.shardRequests();
            slowest[i] = q.slowestShardMillis();
            plans[i] = Str.of(q.plan());
        }
        return RayTable.builder().column("id", new I64Vector(id)).column("user", new SymbolVector(users))
                .column("query", RayList.of(texts)).column("started", TimestampVector.of(started))
                .column("ms", new I64Vector(ms)).column("outcome", new SymbolVector(outcomes))
                .column("rows", new I64Vector(rows)).column("lockWaitMs", new I64Vector(lockWait))
                .column("shardRequests", new I64Vector(requests)).column("slowestShardMs", new I64Vector(slowest))
                .column("plan", RayList.of(plans)).build();
    }

    /** All of {@code items} for a user who may write; a read-only user's own only. */
    private <T> List<T> visible(List<T> items, Function<T, String> user) {
        RunningQuery me = log.current();
        if (me == null || !me.readOnly()) {
            return items;
        }
        return items.stream().filter(x -> user.apply(x).equals(me.user())).toList();
    }

    private static void arity(List<RayValue> args, int n, String usage) {
        if (args.size() != n) {
            throw new UnsupportedQueryError("wrong number of arguments: " + usage);
        }
    }
}
