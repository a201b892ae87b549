package io.rayforce.cluster.deploy;

import io.rayforce.cluster.coordinator.security.GrpcTls;
import io.rayforce.cluster.coordinator.security.SecretFiles;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How an admin command reaches a secured coordinator (docs/security.md): the CA its TLS
 * certificate is checked against, a client certificate for mutual TLS, and the admin token for
 * calls that change the cluster. Each comes from a flag or the environment; the token itself is
 * only ever read from a file or {@code RFC_ADMIN_TOKEN}, never given as a flag (other local users
 * could read it in the process list).
 */
final class AdminAuthOptions {
    /** The environment variable that may hold the admin token itself. */
    static final String TOKEN_ENV = "RFC_ADMIN_TOKEN";

    @Option(names = "--tls-ca", defaultValue = "${env:RFC_TLS_CA}", paramLabel = "FILE",
            description = "CA certificate (PEM) to check the coordinator's TLS certificate with; talks TLS when set "
                    + "(default: $RFC_TLS_CA).")
    Path tlsCa;

    @Option(names = "--tls-cert", defaultValue = "${env:RFC_TLS_CERT}", paramLabel = "FILE",
            description = "Client certificate (PEM) for coordinators that require mutual TLS (default: $RFC_TLS_CERT).")
    Path tlsCert;

    @Option(names = "--tls-key", defaultValue = "${env:RFC_TLS_KEY}", paramLabel = "FILE",
            description = "Private key (PEM, PKCS#8) of --tls-cert (default: $RFC_TLS_KEY).")
    Path tlsKey;

    @Option(names = "--token-file", defaultValue = "${env:RFC_ADMIN_TOKEN_FILE}", paramLabel = "FILE",
            description = "File whose first line is the admin token, needed to change the cluster (default: "
                    + "$RFC_ADMIN_TOKEN_FILE; or put the token itself in $RFC_ADMIN_TOKEN).")
    Path tokenFile;

    /** TLS settings, or null for plaintext. */
    GrpcTls tls() {
        if (tlsCa == null && tlsCert == null && tlsKey == null) {
            return null;
        }
        return new GrpcTls(tlsCert, tlsKey, tlsCa, GrpcTls.ClientAuth.NONE);
    }

    /** The admin token, or null when none was given. */
    String token() {
        if (tokenFile != null) {
            return SecretFiles.readFirstLine(tokenFile, "admin token");
        }
        String env = System.getenv(TOKEN_ENV);
        return env == null || env.isBlank() ? null : env.strip();
    }
}
