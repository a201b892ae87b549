package io.rayforce.cluster.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A node's id, kept in {@code DATA/node.id} so that the node keeps its identity (and so its
 * replicas in placement) across restarts. The first start writes the configured id, or a
 * generated {@code node-<8 hex>} when none is configured; later starts must agree with the file.
 */
public final class NodeIdentity {
    public static final String FILE = "node.id";
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private NodeIdentity() {
    }

    /**
     * The node id for {@code dataDir}.
     *
     * @param configured the id asked for, or null/blank to use the stored (or a new) one
     * @throws IllegalArgumentException for an invalid id, or one that differs from the stored id
     */
    public static String resolve(Path dataDir, String configured) {
        Path file = dataDir.resolve(FILE);
        try {
            Files.createDirectories(dataDir);
            String stored = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8).strip() : null;
            if (configured != null && !configured.isBlank()) {
                check(configured);
                if (stored != null && !stored.isEmpty() && !stored.equals(configured)) {
                    throw new IllegalArgumentException("data directory " + dataDir + " belongs to node '" + stored
                            + "', not '" + configured + "': use --id " + stored + " or another data directory");
                }
                if (stored == null || stored.isEmpty()) {
                    Files.writeString(file, configured + "\n", StandardCharsets.UTF_8);
                }
                return configured;
            }
            if (stored != null && !stored.isEmpty()) {
                return check(stored);
            }
            byte[] random = new byte[4];
            new SecureRandom().nextBytes(random);
            String id = "node-" + HexFormat.of().formatHex(random);
            Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the node id in " + file + ": " + e.getMessage(), e);
        }
    }

    static String check(String id) {
        if (!VALID.matcher(id).matches()) {
            throw new IllegalArgumentException("invalid node id '" + id
                    + "': use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return id;
    }
}
