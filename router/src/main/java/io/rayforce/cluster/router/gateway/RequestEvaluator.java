package io.rayforce.cluster.router.gateway;

import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.ipc.MessageDecoder;
import io.rayforce.cluster.client.ipc.RawFrame;
import io.rayforce.cluster.client.ipc.ValueReader;
import io.rayforce.cluster.client.ipc.Wire;
import io.rayforce.cluster.client.rayfall.RayfallPrinter;
import io.rayforce.cluster.client.rayfall.RayfallReader;
import io.rayforce.cluster.client.rayfall.TreeWalk;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayError;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayNull;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Str;
import io.rayforce.cluster.router.ClusterClient;
import io.rayforce.cluster.router.QueryOptions;
import io.rayforce.cluster.router.exec.ResultLimits;
import io.rayforce.cluster.router.ops.RunningQuery;
import io.rayforce.cluster.router.statement.Statements;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Answers one request frame as one Rayforce server would, with the cluster behind it: the
 * payload is decoded in expression mode (a payload that cannot be decoded is answered with the
 * generic null, as the engine does), a string payload is Rayfall source read with the Rayfall
 * reader, the gateway's own function {@code (.cluster.lastError)} is answered here, and
 * everything else runs on the cluster; a request that may write is first made immune to cancels
 * ({@link WriteRequests}). Failures become {@link ErrorReply error replies}. Each request that runs
 * on the cluster is a query of the cluster client's query log, under the client's user name.
 */
final class RequestEvaluator {
    /** The gateway function that returns the connection's last error text. */
    static final String LAST_ERROR = Statements.LAST_ERROR;

    private final ClusterClient cluster;
    private final QueryOptions options;
    private final int maxRequestBytes;

    RequestEvaluator(ClusterClient cluster, QueryOptions options) {
        this(cluster, options, Wire.MAX_PAYLOAD_BYTES);
    }

    /** As above; a compressed request may restore to at most {@code maxRequestBytes}. */
    RequestEvaluator(ClusterClient cluster, QueryOptions options, int maxRequestBytes) {
        this.cluster = cluster;
        this.options = options;
        this.maxRequestBytes = maxRequestBytes;
    }

    /**
     * The answer to {@code frame}. {@code lastError} gives the connection's last error text;
     * {@code cancelReason} is non-null once the gateway has cancelled this request.
     */
    Answer answer(RawFrame frame, Supplier<String> lastError, InFlightRequest request) {
        return answer(frame, lastError, request::cancelReason, request::makeUncancellable, Principal.ANONYMOUS);
    }

    /** As above, for the connection of {@code who}: a read-only user's writes are refused with {@code access}. */
    Answer answer(RawFrame frame, Supplier<String> lastError, InFlightRequest request, Principal who) {
        return answer(frame, lastError, request::cancelReason, request::makeUncancellable, who, request::tryCancel);
    }

    /**
     * As above; {@code protectWrite} is called before a request that may write runs, and
     * returns false when the request was cancelled before it started.
     */
    Answer answer(RawFrame frame, Supplier<String> lastError, Supplier<String> cancelReason, BooleanSupplier protectWrite) {
        return answer(frame, lastError, cancelReason, protectWrite, Principal.ANONYMOUS);
    }

    /** As above, with the connection's principal. */
    Answer answer(RawFrame frame, Supplier<String> lastError, Supplier<String> cancelReason, BooleanSupplier protectWrite,
                  Principal who) {
        return answer(frame, lastError, cancelReason, protectWrite, who, null);
    }

    /**
     * As above; {@code cancel} cancels the request for {@code .cluster.cancel} (and says whether it
     * took), null when it cannot be cancelled that way.
     */
    Answer answer(RawFrame frame, Supplier<String> lastError, Supplier<String> cancelReason, BooleanSupplier protectWrite,
                  Principal who, Predicate<String> cancel) {
        RayValue request;
        try {
            request = MessageDecoder.decode(frame, ValueReader.Mode.EXPRESSION, maxRequestBytes).value();
            if (containsError(request)) {
                throw new IllegalArgumentException("an error value cannot be sent as a request");
            }
        } catch (RuntimeException e) {
            return new Answer(RayNull.INSTANCE, "the request payload could not be decoded (answered with null, as the engine does): "
                    + e.getMessage());
        }
        long started = System.nanoTime();
        RayValue tree = request;
        try {
            if (request instanceof Str s) {
                if (s.isNull()) {
                    return Answer.of(RayNull.INSTANCE);
                }
                tree = RayfallReader.read(s.value());
            }
            if (isLastErrorCall(tree)) {
                String text = lastError.get();
                return Answer.of(Str.of(text == null ? "" : text));
            }
        } catch (RuntimeException e) {
            return Answer.error(ErrorReply.of(e, cancelReason.get()));
        }
        // one query of the query log from here: listed while it runs, timed and counted when answered
        String text = request instanceof Str s ? s.value() : RayfallPrinter.abbreviated(tree, 8);
        RunningQuery query = cluster.queryLog().begin(who.user(), who.readOnly(), text, cancel);
        // a call of a global function that writes is protected from cancels, as a write, when it starts
        query.protectWritesWith(protectWrite);
        Answer answer = null;
        try {
            answer = evaluate(tree, cancelReason, protectWrite, who, started);
            return answer;
        } finally {
            cluster.queryLog().end(query, answer == null ? ErrorReply.INTERNAL : answer.outcome(),
                    answer == null || answer.failed() ? 0 : ResultLimits.rows(answer.value()));
        }
    }

    /** Runs the request {@code tree} on the cluster (a read-only user's writes refused). */
    private Answer evaluate(RayValue tree, Supplier<String> cancelReason, BooleanSupplier protectWrite, Principal who,
                            long started) {
        try {
            if (who.readOnly()) {
                String write = WriteRequests.firstWrite(tree);
                if (write != null) {
                    return Answer.error(new ErrorReply(ErrorReply.ACCESS, "user '" + who.user() + "' may only read: "
                            + write + " is refused"));
                }
            }
            if (WriteRequests.mayWrite(tree) && !protectWrite.getAsBoolean()) {
                return Answer.error(ErrorReply.of(null, cancelReason.get()));
            }
            return Answer.of(cluster.query(tree, options).value());
        } catch (RuntimeException e) {
            String cancelled = cancelReason.get();
            if (cancelled == null && pastDeadline(started) && !(e instanceof RayforceEvaluationError)) {
                // whatever gave up first (a node connection's own timeout, the router's wait), the deadline was the cause
                return Answer.error(new ErrorReply(ErrorReply.TIMEOUT, "query timed out after "
                        + options.timeout().toMillis() + " ms: " + e.getMessage()));
            }
            return Answer.error(ErrorReply.of(e, cancelled));
        }
    }

    private boolean pastDeadline(long started) {
        Duration t = options.timeout();
        return t != null && !t.isZero() && System.nanoTime() - started >= t.toNanos();
    }

    static boolean isLastErrorCall(RayValue tree) {
        return tree instanceof RayList l && l.length() == 1 && l.get(0) instanceof Name n && n.name().equals(LAST_ERROR);
    }

    /** The engine refuses to decode an error object anywhere in a request. */
    private static boolean containsError(RayValue v) {
        return TreeWalk.any(v, x -> x instanceof RayError);
    }
}
