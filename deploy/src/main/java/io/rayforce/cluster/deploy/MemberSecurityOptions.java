package io.rayforce.cluster.deploy;

import io.rayforce.cluster.coordinator.security.ClusterSecret;
import io.rayforce.cluster.coordinator.security.ClusterSecurity;
import io.rayforce.cluster.coordinator.security.GrpcTls;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How a cluster member (coordinator, node, gateway) protects its links (docs/security.md): the
 * cluster secret every member shares, and TLS for the gRPC control plane. Each option also comes
 * from the environment, so container deployments can pass file paths without flags.
 */
final class MemberSecurityOptions {
    @Option(names = "--cluster-secret-file", defaultValue = "${env:RFC_CLUSTER_SECRET_FILE}", paramLabel = "FILE",
            description = "The cluster secret shared by every member (rfc secret generate FILE): members-only ZooKeeper "
                    + "znodes, engine passwords, tokens between members (default: $RFC_CLUSTER_SECRET_FILE).")
    Path secretFile;

    @Option(names = "--tls-cert", defaultValue = "${env:RFC_TLS_CERT}", paramLabel = "FILE",
            description = "This member's TLS certificate (PEM) for the gRPC control plane, as server and as client "
                    + "(default: $RFC_TLS_CERT).")
    Path tlsCert;

    @Option(names = "--tls-key", defaultValue = "${env:RFC_TLS_KEY}", paramLabel = "FILE",
            description = "The private key (PEM, PKCS#8) of --tls-cert (default: $RFC_TLS_KEY).")
    Path tlsKey;

    @Option(names = "--tls-ca", defaultValue = "${env:RFC_TLS_CA}", paramLabel = "FILE",
            description = "CA certificate(s) (PEM) other members' certificates are checked with (default: $RFC_TLS_CA).")
    Path tlsCa;

    @Option(names = "--tls-client-auth", defaultValue = "${env:RFC_TLS_CLIENT_AUTH:-none}", paramLabel = "none|optional|require",
            description = "Whether this member's gRPC server asks clients for a certificate; require = mutual TLS "
                    + "(default: ${DEFAULT-VALUE}).")
    String tlsClientAuth;

    /** The security these options describe; files are read (and checked) here. */
    ClusterSecurity security() {
        ClusterSecurity s = ClusterSecurity.NONE;
        if (secretFile != null) {
            s = s.withSecret(ClusterSecret.read(secretFile));
        }
        if (tlsCert != null || tlsKey != null || tlsCa != null) {
            s = s.withTls(new GrpcTls(tlsCert, tlsKey, tlsCa, GrpcTls.ClientAuth.parse(tlsClientAuth)));
        } else if (!"none".equalsIgnoreCase(tlsClientAuth.strip())) {
            throw new IllegalArgumentException("--tls-client-auth " + tlsClientAuth + " needs TLS: give --tls-cert, --tls-key and --tls-ca");
        }
        return s;
    }
}
