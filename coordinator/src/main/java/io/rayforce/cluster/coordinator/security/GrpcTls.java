package io.rayforce.cluster.coordinator.security;

import io.grpc.ChannelCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * TLS for the gRPC control plane, from PEM files: this process's certificate chain and private key
 * (PKCS#8, as {@code openssl genpkey} writes it), and the CA certificates it trusts. As a server
 * it presents the certificate and, with {@link ClientAuth#REQUIRE}, accepts only clients whose
 * certificate the CA signed (mutual TLS). As a client it checks the server's certificate against
 * the CA (and the host name against the certificate) and presents its own certificate when it has
 * one. Members of a cluster use one certificate for both sides.
 *
 * @param certChain  this process's certificate chain (PEM), or null (a client without a certificate)
 * @param privateKey the key of {@code certChain} (PEM, PKCS#8), or null
 * @param trustCa    the CA certificates (PEM) servers and, for mutual TLS, clients are checked against
 * @param clientAuth what a server asks of its clients
 */
public record GrpcTls(Path certChain, Path privateKey, Path trustCa, ClientAuth clientAuth) {
    /** Whether a TLS server asks clients for a certificate. */
    public enum ClientAuth {
        /** No client certificate (server TLS only; callers prove themselves with tokens). */
        NONE,
        /** A client certificate is checked when one is sent. */
        OPTIONAL,
        /** Mutual TLS: only clients with a certificate the CA signed can connect. */
        REQUIRE;

        /** {@code none}, {@code optional} or {@code require}. */
        public static ClientAuth parse(String text) {
            try {
                return valueOf(text.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("TLS client auth must be none, optional or require, got '" + text + "'");
            }
        }
    }

    public GrpcTls {
        if ((certChain == null) != (privateKey == null)) {
            throw new IllegalArgumentException("a TLS certificate needs its private key and a key its certificate "
                    + "(--tls-cert and --tls-key go together)");
        }
        clientAuth = clientAuth == null ? ClientAuth.NONE : clientAuth;
        if (clientAuth != ClientAuth.NONE && trustCa == null) {
            throw new IllegalArgumentException("checking client certificates (" + clientAuth.name().toLowerCase(Locale.ROOT)
                    + ") needs the CA that signed them (--tls-ca)");
        }
        requireReadable(certChain, "TLS certificate");
        requireReadable(privateKey, "TLS private key");
        requireReadable(trustCa, "TLS CA");
    }

    /** A client that trusts {@code ca} and has no certificate of its own. */
    public static GrpcTls client(Path ca) {
        return new GrpcTls(null, null, ca, ClientAuth.NONE);
    }

    /** A member (server and client) with a certificate, trusting {@code ca}. */
    public static GrpcTls member(Path cert, Path key, Path ca, ClientAuth clientAuth) {
        return new GrpcTls(cert, key, ca, clientAuth);
    }

    private static void requireReadable(Path file, String what) {
        if (file != null && !Files.isReadable(file)) {
            throw new IllegalArgumentException("the " + what + " file " + file + " does not exist or cannot be read");
        }
    }

    /** Whether this process can serve TLS (it has a certificate). */
    public boolean canServe() {
        return certChain != null;
    }

    /** Credentials for a gRPC server: the certificate, and the client check. */
    public ServerCredentials serverCredentials() {
        if (!canServe()) {
            throw new IllegalArgumentException("a TLS server needs a certificate and its key (--tls-cert, --tls-key)");
        }
        try {
            TlsServerCredentials.Builder b = TlsServerCredentials.newBuilder().keyManager(certChain.toFile(), privateKey.toFile());
            if (trustCa != null) {
                b.trustManager(trustCa.toFile());
            }
            b.clientAuth(switch (clientAuth) {
                case NONE -> TlsServerCredentials.ClientAuth.NONE;
                case OPTIONAL -> TlsServerCredentials.ClientAuth.OPTIONAL;
                case REQUIRE -> TlsServerCredentials.ClientAuth.REQUIRE;
            });
            return b.build();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot load the TLS certificate " + certChain + " and key " + privateKey
                    + ": " + e.getMessage(), e);
        }
    }

    /** Credentials for a gRPC channel: the CA to check servers with, and this process's certificate if any. */
    public ChannelCredentials channelCredentials() {
        try {
            TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder();
            if (trustCa != null) {
                b.trustManager(trustCa.toFile());
            }
            if (certChain != null) {
                b.keyManager(certChain.toFile(), privateKey.toFile());
            }
            return b.build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the TLS files: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot load the TLS files (CA " + trustCa + ", certificate " + certChain
                    + "): " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "GrpcTls[cert=" + certChain + ", ca=" + trustCa + ", clientAuth=" + clientAuth.name().toLowerCase(Locale.ROOT) + "]";
    }
}
