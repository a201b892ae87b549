package io.rayforce.cluster.router.gateway;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import io.rayforce.cluster.coordinator.security.SecretFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The gateway's users: one line per user, {@code NAME ROLE HASH}, where ROLE is
 * {@code read-write} or {@code read-only} and HASH a bcrypt hash ({@code $2b$12$...}) of the
 * password; blank lines and lines starting with {@code #} are ignored. Passwords are never
 * stored, only their salted hashes; the file is written with mode 0600 ({@link SecretFiles}).
 * Managed with {@code rfc user add|remove|list}; a gateway started with {@code --users-file}
 * reads it again whenever it changes. Instances are immutable.
 *
 * <p>Hashing: bcrypt (version 2b, cost {@value #DEFAULT_COST} by default); passwords longer than
 * bcrypt's 72 bytes are first hashed with SHA-512, so every byte counts.
 */
public final class UsersFile {
    /** The bcrypt cost used when none is given: about a quarter of a second per check on a small server. */
    public static final int DEFAULT_COST = 12;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    private static final BCrypt.Version VERSION = BCrypt.Version.VERSION_2B;

    /** What a user may do through the gateway. */
    public enum Role {
        /** Reads, writes and the admin functions. */
        READ_WRITE("read-write"),
        /** Reads only: every write and admin write function is refused with error {@code access}. */
        READ_ONLY("read-only");

        private final String text;

        Role(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }

        /** {@code read-write} or {@code read-only}. */
        public static Role parse(String s) {
            for (Role r : values()) {
                if (r.text.equals(s.strip().toLowerCase(Locale.ROOT))) {
                    return r;
                }
            }
            throw new IllegalArgumentException("a role is read-write or read-only, not '" + s + "'");
        }
    }

    /** One user: name, role and password hash ({@link #toString()} leaves the hash out). */
    public record User(String name, Role role, String hash) {
        @Override
        public String toString() {
            return "User[" + name + ", " + role.text() + "]";
        }
    }

    private final Map<String, User> users;

    private UsersFile(Map<String, User> users) {
        this.users = users;
    }

    public static UsersFile empty() {
        return new UsersFile(new LinkedHashMap<>());
    }

    /** Reads a users file; fails naming the file and line (never a hash) when a line is malformed. */
    public static UsersFile read(Path file) {
        return parse(SecretFiles.read(file, "gateway users"), file.toString());
    }

    /** Parses the text of a users file; {@code source} names it in errors. */
    public static UsersFile parse(String text, String source) {
        Map<String, User> users = new LinkedHashMap<>();
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] f = l.split("\\s+");
            if (f.length != 3) {
                throw new IllegalArgumentException(source + " line " + lineNo + ": expected NAME ROLE HASH, got "
                        + f.length + " field(s)");
            }
            checkName(f[0]);
            Role role;
            try {
                role = Role.parse(f[1]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + " line " + lineNo + ": " + e.getMessage());
            }
            if (!f[2].matches("\\$2[abxy]\\$\\d\\d\\$[./A-Za-z0-9]{53}")) {
                throw new IllegalArgumentException(source + " line " + lineNo + ": the password hash of " + f[0]
                        + " is not a bcrypt hash (make users with rfc user add)");
            }
            if (users.put(f[0], new User(f[0], role, f[2])) != null) {
                throw new IllegalArgumentException(source + " line " + lineNo + ": user " + f[0] + " appears twice");
            }
        }
        return new UsersFile(users);
    }

    /** Fails unless {@code name} is 1 to 64 letters, digits, {@code . _ @ -}, starting with a letter or digit. */
    public static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid user name '" + name
                    + "': use 1 to 64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit");
        }
        return name;
    }

    public Optional<User> find(String name) {
        return Optional.ofNullable(users.get(name));
    }

    public List<User> users() {
        return List.copyOf(users.values());
    }

    public boolean isEmpty() {
        return users.isEmpty();
    }

    /** These users plus (or with a new password and role for) {@code name}; the password is hashed with {@code cost}. */
    public UsersFile with(String name, Role role, byte[] password, int cost) {
        checkName(name);
        if (password.length == 0) {
            throw new IllegalArgumentException("the password must not be empty");
        }
        if (password.length > 253) {
            throw new IllegalArgumentException("the password is longer than 253 bytes, more than the Rayforce handshake carries");
        }
        Map<String, User> copy = new LinkedHashMap<>(users);
        copy.put(name, new User(name, role, hash(password, cost)));
        return new UsersFile(copy);
    }

    /** These users without {@code name}. */
    public UsersFile without(String name) {
        Map<String, User> copy = new LinkedHashMap<>(users);
        copy.remove(name);
        return new UsersFile(copy);
    }

    /** The file's text. */
    public String text() {
        List<String> lines = new ArrayList<>();
        lines.add("# rayforce-cluster gateway users: NAME ROLE BCRYPT-HASH (manage with rfc user add|remove|list)");
        for (User u : users.values()) {
            lines.add(u.name() + " " + u.role().text() + " " + u.hash());
        }
        return String.join("\n", lines) + "\n";
    }

    /** Writes the file (mode 0600, replaced atomically). */
    public void write(Path file) {
        SecretFiles.write(file, text(), true);
    }

    /** A bcrypt hash of {@code password}. */
    public static String hash(byte[] password, int cost) {
        if (cost < BCrypt.MIN_COST || cost > BCrypt.MAX_COST) {
            throw new IllegalArgumentException("the bcrypt cost must be " + BCrypt.MIN_COST + ".." + BCrypt.MAX_COST + ", got " + cost);
        }
        return new String(BCrypt.with(VERSION, LongPasswordStrategies.hashSha512(VERSION)).hash(cost, password),
                StandardCharsets.US_ASCII);
    }

    /** Whether {@code password} matches {@code hash} (as slow as the hash's cost, whatever the outcome). */
    public static boolean verify(byte[] password, String hash) {
        return BCrypt.verifyer(VERSION, LongPasswordStrategies.hashSha512(VERSION))
                .verify(password, hash.getBytes(StandardCharsets.US_ASCII)).verified;
    }

    @Override
    public String toString() {
        return "UsersFile" + users.values();
    }
}
