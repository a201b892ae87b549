package io.rayforce.cluster.coordinator.security;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret every member of one cluster shares (coordinators, node agents, routers and
 * gateways): at least {@value #MIN_BYTES} random bytes, kept in a file readable only by the
 * cluster's own user ({@code rfc secret generate FILE}). It never leaves the process and is never
 * written to ZooKeeper. Everything the members prove to each other is derived from it with
 * HMAC-SHA256 under a distinct label, so no derived value reveals the secret or another value:
 *
 * <ul>
 *   <li>{@link #zooKeeperCredentials()}: the digest identity that owns the cluster's znodes;</li>
 *   <li>{@link #enginePassword(String, String)}: one node engine's {@code -u} password for one
 *       boot (the node id and a random boot nonce that the node publishes in ZooKeeper);</li>
 *   <li>{@link #internalToken()}: the bearer token members send on gRPC calls to each other.</li>
 * </ul>
 *
 * {@link #toString()} shows only a {@link #fingerprint()}, which members log so operators can
 * check that they all read the same secret.
 */
public final class ClusterSecret {
    /** The shortest secret accepted, in bytes. */
    public static final int MIN_BYTES = 32;
    private static final String HMAC = "HmacSHA256";

    private final byte[] key;

    private ClusterSecret(byte[] key) {
        this.key = key;
    }

    /** A secret made of {@code bytes} (copied). */
    public static ClusterSecret of(byte[] bytes) {
        if (bytes == null || bytes.length < MIN_BYTES) {
            throw new IllegalArgumentException("a cluster secret needs at least " + MIN_BYTES + " bytes, got "
                    + (bytes == null ? 0 : bytes.length) + "; make one with: rfc secret generate FILE");
        }
        return new ClusterSecret(bytes.clone());
    }

    /** A new random secret of {@value #MIN_BYTES} bytes (for a one-machine cluster that lives in one process). */
    public static ClusterSecret generate() {
        byte[] b = new byte[MIN_BYTES];
        new SecureRandom().nextBytes(b);
        return new ClusterSecret(b);
    }

    /**
     * Reads a secret file: its first line is the secret in base64 (standard or URL-safe alphabet,
     * as {@code rfc secret generate} writes it). Errors name the file, never its content.
     */
    public static ClusterSecret read(Path file) {
        String text = SecretFiles.readFirstLine(file, "cluster secret");
        byte[] bytes;
        try {
            bytes = text.indexOf('-') >= 0 || text.indexOf('_') >= 0
                    ? Base64.getUrlDecoder().decode(text) : Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the cluster secret file " + file + " does not hold base64 text "
                    + "(make one with: rfc secret generate FILE)");
        }
        if (bytes.length < MIN_BYTES) {
            throw new IllegalArgumentException("the cluster secret in " + file + " has " + bytes.length + " bytes; at least "
                    + MIN_BYTES + " are needed (make one with: rfc secret generate FILE)");
        }
        return new ClusterSecret(bytes);
    }

    /** HMAC-SHA256 of {@code label} under the secret. */
    public byte[] derive(String label) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is missing from this JVM", e);
        }
    }

    /** {@link #derive} as URL-safe base64 without padding (43 characters, never a {@code :}). */
    public String deriveText(String label) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(derive(label));
    }

    /**
     * The password of node {@code nodeId}'s engine for the boot identified by {@code bootNonce}:
     * it changes on every engine start, so a password read from one process's command line is
     * useless once that engine is gone.
     */
    public String enginePassword(String nodeId, String bootNonce) {
        return deriveText("engine|" + nodeId + "|" + bootNonce);
    }

    /** The bearer token cluster members send each other on gRPC calls. */
    public String internalToken() {
        return deriveText("control-plane|internal");
    }

    /** The ZooKeeper digest identity of the cluster's members. */
    public ZooKeeperCredentials zooKeeperCredentials() {
        return new ZooKeeperCredentials(ZooKeeperCredentials.MEMBER_USER, deriveText("zookeeper|digest"));
    }

    /** 12 hex digits that identify the secret without revealing anything about it. */
    public String fingerprint() {
        return HexFormat.of().formatHex(Arrays.copyOf(derive("fingerprint"), 6));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClusterSecret s && MessageDigest.isEqual(key, s.key);
    }

    @Override
    public int hashCode() {
        return fingerprint().hashCode();
    }

    /** Never shows the secret: only its fingerprint. */
    @Override
    public String toString() {
        return "ClusterSecret[fingerprint=" + fingerprint() + "]";
    }
}
