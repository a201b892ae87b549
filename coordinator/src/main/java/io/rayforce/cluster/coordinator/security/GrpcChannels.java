package io.rayforce.cluster.coordinator.security;

import io.grpc.ChannelCredentials;
import io.grpc.ClientInterceptor;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;

/** Opens gRPC channels: TLS or plaintext, with a bearer token on every call or none. */
public final class GrpcChannels {
    /** The metadata key of the bearer token ({@code authorization: Bearer <token>}). */
    public static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    /** The prefix of a bearer token's value. */
    public static final String BEARER = "Bearer ";

    private GrpcChannels() {
    }

    /**
     * A channel to {@code host:port}.
     *
     * @param tls   the CA (and client certificate) for TLS, or null for plaintext
     * @param token sent as {@code authorization: Bearer <token>} on every call, or null
     */
    public static ManagedChannel open(String host, int port, GrpcTls tls, String token) {
        ChannelCredentials creds = tls == null ? InsecureChannelCredentials.create() : tls.channelCredentials();
        ManagedChannelBuilder<?> b = Grpc.newChannelBuilderForAddress(host, port, creds);
        if (token != null) {
            b.intercept(bearer(token));
        }
        return b.build();
    }

    /** An interceptor that sends {@code token} on every call. */
    public static ClientInterceptor bearer(String token) {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, BEARER + token);
        return MetadataUtils.newAttachHeadersInterceptor(headers);
    }
}
