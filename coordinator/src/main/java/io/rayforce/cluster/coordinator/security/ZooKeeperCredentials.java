package io.rayforce.cluster.coordinator.security;

import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;

/**
 * A ZooKeeper digest identity: the user and password a member authenticates with
 * ({@code addAuthInfo("digest", "user:password")}) and the ACL id ZooKeeper stores for it
 * ({@code user:base64(sha1(user:password))}). {@link #toString()} hides the password.
 */
public record ZooKeeperCredentials(String user, String password) {
    /** The user name of the cluster's members. */
    public static final String MEMBER_USER = "rfc-member";

    /** The bytes for {@code CuratorFrameworkFactory.Builder.authorization("digest", ...)}. */
    public byte[] authBytes() {
        return (user + ":" + password).getBytes(StandardCharsets.UTF_8);
    }

    /** The id of a digest ACL granting this identity. */
    public String aclId() {
        try {
            return DigestAuthenticationProvider.generateDigest(user + ":" + password);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "ZooKeeperCredentials[user=" + user + ", password=***]";
    }
}
