package io.rayforce.cluster.router.gateway;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The credentials a client sent in the handshake, read the way the engine reads them: the text
 * is split at the first {@code :}, the user is what comes before it (none without a colon) and
 * the password everything after it; one trailing NUL is optional; a NUL inside, or no bytes at
 * all, make them malformed. {@link #toString()} shows the user only.
 *
 * @param raw        the bytes after the handshake's length byte
 * @param user       the user name ("" when there is none)
 * @param password   the password bytes
 * @param wellFormed false for empty credentials or a NUL inside them
 */
record Credentials(byte[] raw, String user, byte[] password, boolean wellFormed) {
    static Credentials parse(byte[] raw) {
        int len = raw.length;
        if (len > 0 && raw[len - 1] == 0) {
            len--;
        }
        int colon = -1;
        boolean nulInside = false;
        for (int i = 0; i < len; i++) {
            if (raw[i] == 0) {
                nulInside = true;
            } else if (raw[i] == ':' && colon < 0 && !nulInside) {
                colon = i;
            }
        }
        String user = colon < 0 ? "" : new String(raw, 0, colon, StandardCharsets.UTF_8);
        byte[] password = Arrays.copyOfRange(raw, colon + 1, len);
        return new Credentials(raw, user, password, raw.length > 0 && !nulInside);
    }

    /** The user name as it may appear in a log line: printable, at most 64 characters. */
    String userForLogs() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < user.length() && b.length() < 64; i++) {
            char c = user.charAt(i);
            b.append(c >= 32 && c < 127 ? c : '?');
        }
        return user.length() > 64 ? b + "..." : b.toString();
    }

    @Override
    public String toString() {
        return "Credentials[user=" + userForLogs() + ", password=***]";
    }
}
