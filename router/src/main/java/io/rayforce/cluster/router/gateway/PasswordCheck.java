package io.rayforce.cluster.router.gateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Checks the credentials a client sends in the handshake the way the engine does: the text is
 * split at the first {@code :} and everything after it is the password (with no colon the whole
 * text is); one trailing NUL is optional, bytes after a NUL are a mismatch, empty credentials are
 * refused. The comparison takes the same time whatever the bytes (both sides are hashed, then
 * compared with {@link MessageDigest#isEqual}), so it reveals neither content nor length.
 */
final class PasswordCheck {
    private final byte[] expectedDigest;

    PasswordCheck(String password) {
        this.expectedDigest = sha256(password.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether {@code credentials} (the bytes after the length byte) carry the password. */
    boolean accepts(byte[] credentials) {
        int len = credentials.length;
        if (len > 0 && credentials[len - 1] == 0) {
            len--;
        }
        int start = 0;
        boolean nulInside = false;
        for (int i = 0; i < len; i++) {
            if (credentials[i] == 0) {
                nulInside = true;
            } else if (credentials[i] == ':' && start == 0 && !nulInside) {
                start = i + 1;
            }
        }
        byte[] given = sha256(Arrays.copyOfRange(credentials, start, len));
        boolean match = MessageDigest.isEqual(given, expectedDigest);
        return match && !nulInside && credentials.length > 0;
    }

    /** The user part of {@code credentials} (before the first colon), for logs; never the password. */
    static String user(byte[] credentials) {
        for (int i = 0; i < credentials.length; i++) {
            if (credentials[i] == ':') {
                return new String(credentials, 0, i, StandardCharsets.UTF_8);
            }
        }
        return "";
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
