package io.rayforce.cluster.coordinator.security;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gRPC server interceptor that lets a protected call through only when it carries
 * {@code authorization: Bearer <token>} with one of the accepted tokens. Other calls pass
 * untouched. A refused call is closed with {@code UNAUTHENTICATED} and a message saying what was
 * wrong (no token, not a bearer token, a token that is not accepted), logged with the caller's
 * address and the method (never the token), and counted in {@code rfc.grpc.auth.failures}.
 */
public final class BearerTokenCheck implements ServerInterceptor {
    private static final Logger log = LoggerFactory.getLogger(BearerTokenCheck.class);

    private final String service;
    private final Predicate<String> isProtected;
    private final List<AccessToken> accepted;
    private final String hint;
    private final Counter failures;

    /**
     * @param service     the service's name, for logs and the metric's tag
     * @param isProtected which full method names need a token
     * @param accepted    the tokens accepted (at least one)
     * @param hint        how a caller gets a token, appended to the refusal
     */
    public BearerTokenCheck(String service, Predicate<String> isProtected, List<AccessToken> accepted, String hint) {
        this.service = service;
        this.isProtected = isProtected;
        this.accepted = List.copyOf(accepted);
        this.hint = Objects.requireNonNullElse(hint, "");
        if (this.accepted.isEmpty()) {
            throw new IllegalArgumentException("a token check needs at least one accepted token");
        }
        this.failures = Metrics.counter("rfc.grpc.auth.failures", "service", service);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        if (!isProtected.test(method)) {
            return next.startCall(call, headers);
        }
        String value = headers.get(GrpcChannels.AUTHORIZATION);
        String problem;
        if (value == null) {
            problem = method + " needs a token: send the metadata 'authorization: Bearer <token>'";
        } else if (!value.regionMatches(true, 0, GrpcChannels.BEARER, 0, GrpcChannels.BEARER.length())) {
            problem = method + " needs a bearer token ('authorization: Bearer <token>')";
        } else {
            String token = value.substring(GrpcChannels.BEARER.length());
            for (AccessToken t : accepted) {
                if (t.matches(token)) {
                    return next.startCall(call, headers);
                }
            }
            problem = "the token sent for " + method + " is not accepted";
        }
        failures.increment();
        log.warn("{}: refused a call from {}: {}", service, call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR), problem);
        call.close(Status.UNAUTHENTICATED.withDescription(hint.isEmpty() ? problem : problem + " (" + hint + ")"), new Metadata());
        return new ServerCall.Listener<>() {
        };
    }

    @Override
    public String toString() {
        return "BearerTokenCheck[" + service + ", " + accepted.size() + " token(s)]";
    }
}
