package io.rayforce.cluster.coordinator.security;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A bearer token a server accepts: only its SHA-256 digest is kept, and a presented token is
 * compared digest to digest with {@link MessageDigest#isEqual}, so the comparison takes the same
 * time whatever the bytes. {@link #toString()} shows nothing of it.
 */
public final class AccessToken {
    private final byte[] digest;

    private AccessToken(byte[] digest) {
        this.digest = digest;
    }

    /** The token {@code token}; it must not be blank. */
    public static AccessToken of(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("a token must not be empty");
        }
        return new AccessToken(sha256(token.strip()));
    }

    /** The token in the first line of {@code file} (as {@code rfc secret generate FILE} writes one). */
    public static AccessToken read(Path file) {
        return of(SecretFiles.readFirstLine(file, "admin token"));
    }

    /** Whether {@code presented} is this token. */
    public boolean matches(String presented) {
        if (presented == null) {
            return false;
        }
        return MessageDigest.isEqual(digest, sha256(presented.strip()));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "AccessToken[***]";
    }
}
