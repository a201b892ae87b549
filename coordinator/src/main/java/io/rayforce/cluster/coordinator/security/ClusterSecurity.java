package io.rayforce.cluster.coordinator.security;

import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ServerCredentials;

/**
 * How one cluster member protects its links (docs/security.md). With a {@link ClusterSecret}:
 * its ZooKeeper session authenticates with the members' digest identity and every znode it
 * creates is readable and writable by members only; node engines run with per-boot passwords
 * derived from the secret; and gRPC calls between members carry the members' token. With
 * {@link GrpcTls}: the gRPC control plane runs over TLS (mutual TLS when asked). With an admin
 * token: coordinators also accept that token for their mutating calls (operators' rfc commands).
 * {@link #NONE} protects nothing: the plaintext setup of a one-machine cluster.
 *
 * @param secret     the cluster secret, or null for none
 * @param tls        the gRPC TLS files, or null for plaintext gRPC
 * @param adminToken the operators' token a coordinator accepts for mutations, or null
 */
public record ClusterSecurity(ClusterSecret secret, GrpcTls tls, AccessToken adminToken) {
    /** Nothing protected: plaintext gRPC, open znodes, engines without passwords. */
    public static final ClusterSecurity NONE = new ClusterSecurity(null, null, null);

    /** Only the cluster secret (znodes, engines, member tokens), with plaintext gRPC. */
    public static ClusterSecurity of(ClusterSecret secret) {
        return new ClusterSecurity(secret, null, null);
    }

    public ClusterSecurity withSecret(ClusterSecret s) {
        return new ClusterSecurity(s, tls, adminToken);
    }

    public ClusterSecurity withTls(GrpcTls t) {
        return new ClusterSecurity(secret, t, adminToken);
    }

    public ClusterSecurity withAdminToken(AccessToken t) {
        return new ClusterSecurity(secret, tls, t);
    }

    /** Whether the member has the cluster secret. */
    public boolean hasSecret() {
        return secret != null;
    }

    /** The password of a node engine for one boot, or null when there is no secret (engines run without one). */
    public String enginePassword(String nodeId, String bootNonce) {
        return secret == null ? null : secret.enginePassword(nodeId, bootNonce);
    }

    /** The token members send on gRPC calls, or null without a secret. */
    public String internalToken() {
        return secret == null ? null : secret.internalToken();
    }

    /** The credentials of a gRPC server: TLS when this member has a certificate, else plaintext. */
    public ServerCredentials serverCredentials() {
        return tls != null && tls.canServe() ? tls.serverCredentials() : InsecureServerCredentials.create();
    }

    /** A channel to another member's gRPC server: TLS when configured, the member token when there is a secret. */
    public ManagedChannel memberChannel(String host, int port) {
        return GrpcChannels.open(host, port, tls, internalToken());
    }

    /** A channel to another member, addressed as {@code host:port}. */
    public ManagedChannel memberChannel(String address) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("'" + address + "' is not a host:port address");
        }
        return memberChannel(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
    }

    /** Never shows a secret. */
    @Override
    public String toString() {
        return "ClusterSecurity[secret=" + (secret == null ? "none" : "fingerprint " + secret.fingerprint())
                + ", tls=" + (tls == null ? "off" : tls) + ", adminToken=" + (adminToken == null ? "none" : "***") + "]";
    }
}
