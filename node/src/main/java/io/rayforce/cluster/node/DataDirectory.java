package io.rayforce.cluster.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's data directory (journal, snapshot, node id) is its owner's alone: created with mode
 * 0700, and tightened to 0700 when it exists with access for group or others. The engine's
 * journal holds every row the node stores, so no other local user should read it.
 */
public final class DataDirectory {
    private static final Logger log = LoggerFactory.getLogger(DataDirectory.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private DataDirectory() {
    }

    /** Creates {@code dir} (and missing parents) and makes it owner-only; returns it. */
    public static Path prepare(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir.toAbsolutePath().getParent());
                try {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    // another thread made it: tightened below
                } catch (UnsupportedOperationException noPosix) {
                    Files.createDirectories(dir);
                }
            }
            PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
            if (view != null && !view.readAttributes().permissions().equals(OWNER_ONLY)) {
                log.info("data directory {} was {}: made it owner-only (rwx------)", dir,
                        PosixFilePermissions.toString(view.readAttributes().permissions()));
                view.setPermissions(OWNER_ONLY);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dir + ": " + e.getMessage(), e);
        }
    }
}
