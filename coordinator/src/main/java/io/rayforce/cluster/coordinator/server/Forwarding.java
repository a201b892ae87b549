package io.rayforce.cluster.coordinator.server;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Marks requests one coordinator forwards to the leader ({@code x-rfc-forwarded} header), so a
 * coordinator that is not the leader (any more) answers a forwarded request with UNAVAILABLE
 * instead of forwarding it again.
 */
final class Forwarding implements ServerInterceptor {
    static final Metadata.Key<String> HEADER = Metadata.Key.of("x-rfc-forwarded", Metadata.ASCII_STRING_MARSHALLER);
    static final Context.Key<String> FORWARDED_BY = Context.key("rfc-forwarded-by");

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String by = headers.get(HEADER);
        if (by == null) {
            return next.startCall(call, headers);
        }
        return Contexts.interceptCall(Context.current().withValue(FORWARDED_BY, by), call, headers, next);
    }

    static Metadata header(String self) {
        Metadata md = new Metadata();
        md.put(HEADER, self);
        return md;
    }
}
