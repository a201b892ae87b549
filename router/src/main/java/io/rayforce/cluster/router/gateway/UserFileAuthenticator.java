package io.rayforce.cluster.router.gateway;

import io.rayforce.cluster.coordinator.security.SecretFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates gateway clients against a users file ({@link UsersFile}): the user must exist
 * and the password must match its bcrypt hash; the user's role comes with it. An unknown user
 * costs as much time as a known one (its password is checked against a dummy hash), so timing
 * tells nothing about which names exist. The file is read again when it changes (a new
 * modification time or size); a file that no longer parses is reported and the users read before
 * stay in force.
 *
 * <p>A client that connects many times with the same good password should not pay a bcrypt check
 * every time: a successful check is remembered for {@link #REMEMBER_MILLIS} as a SHA-256 of a
 * random per-process key, the user and the password, never the password itself, and forgotten
 * when the file changes.
 */
final class UserFileAuthenticator implements Authenticator {
    private static final Logger log = LoggerFactory.getLogger(UserFileAuthenticator.class);
    static final long REMEMBER_MILLIS = 10 * 60 * 1000;
    private static final int REMEMBER_MAX = 10_000;

    private final Path file;
    private final byte[] cacheKey = SecretFiles.randomText(32).getBytes(StandardCharsets.US_ASCII);
    private final Map<String, Long> remembered = new LinkedHashMap<>();
    private UsersFile users;
    private String stamp;
    private String dummyHash;

    UserFileAuthenticator(Path file) {
        this.file = file;
        this.users = UsersFile.read(file);
        this.stamp = stamp();
        this.dummyHash = dummyHash(users);
        if (users.isEmpty()) {
            log.warn("the gateway users file {} has no users: every client will be refused (add one with rfc user add)", file);
        }
    }

    @Override
    public Principal authenticate(Credentials c) {
        UsersFile current = current();
        Optional<UsersFile.User> user = c.wellFormed() && !c.user().isEmpty() ? current.find(c.user()) : Optional.empty();
        String key = rememberKey(c);
        if (user.isPresent() && isRemembered(key)) {
            return new Principal(user.get().name(), user.get().role());
        }
        boolean match = UsersFile.verify(c.password(), user.map(UsersFile.User::hash).orElse(dummyHash));
        if (!match || user.isEmpty()) {
            return null;
        }
        remember(key);
        return new Principal(user.get().name(), user.get().role());
    }

    /** The users now, read again if the file changed. */
    synchronized UsersFile current() {
        String now = stamp();
        if (!now.equals(stamp)) {
            try {
                users = UsersFile.read(file);
                dummyHash = dummyHash(users);
                remembered.clear();
                log.info("gateway users reloaded from {}: {} user(s)", file, users.users().size());
            } catch (RuntimeException e) {
                log.error("cannot reload the gateway users from {} (the users read before stay in force): {}", file, e.getMessage());
            }
            stamp = now;
        }
        return users;
    }

    private String stamp() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return a.lastModifiedTime().toMillis() + "/" + a.size() + "/" + a.fileKey();
        } catch (IOException e) {
            return "missing";
        }
    }

    /** A hash of the same cost as the users' to check unknown names against. */
    private static String dummyHash(UsersFile users) {
        int cost = users.users().stream().findFirst().map(u -> Integer.parseInt(u.hash().substring(4, 6)))
                .orElse(UsersFile.DEFAULT_COST);
        return UsersFile.hash(SecretFiles.randomText(16).getBytes(StandardCharsets.US_ASCII), cost);
    }

    private String rememberKey(Credentials c) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(cacheKey);
            d.update(c.user().getBytes(StandardCharsets.UTF_8));
            d.update((byte) 0);
            d.update(c.password());
            return Base64.getEncoder().encodeToString(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private synchronized boolean isRemembered(String key) {
        Long until = remembered.get(key);
        if (until == null) {
            return false;
        }
        if (System.currentTimeMillis() > until) {
            remembered.remove(key);
            return false;
        }
        return true;
    }

    private synchronized void remember(String key) {
        if (remembered.size() >= REMEMBER_MAX) {
            remembered.remove(remembered.keySet().iterator().next());
        }
        remembered.put(key, System.currentTimeMillis() + REMEMBER_MILLIS);
    }

    @Override
    public String toString() {
        return "UserFileAuthenticator[" + file + "]";
    }
}
