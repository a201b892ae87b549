package io.rayforce.cluster.coordinator.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files that hold secrets (the cluster secret, admin tokens, the gateway's users): written with
 * mode 0600 from the start, read with a warning when other users may read them. Messages name the
 * file, never its content.
 */
public final class SecretFiles {
    private static final Logger log = LoggerFactory.getLogger(SecretFiles.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private SecretFiles() {
    }

    /** {@code bytes} random bytes as URL-safe base64 without padding. */
    public static String randomText(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** The first line of {@code file}, stripped; fails naming the file when it is missing or empty. */
    public static String readFirstLine(Path file, String what) {
        String text = read(file, what);
        String first = text.lines().findFirst().orElse("").strip();
        if (first.isEmpty()) {
            throw new IllegalArgumentException("the " + what + " file " + file + " is empty");
        }
        return first;
    }

    /** The whole content of {@code file}; warns when group or others may read it. */
    public static String read(Path file, String what) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            warnIfShared(file, what);
            return text;
        } catch (MalformedInputException e) {
            throw new IllegalArgumentException("the " + what + " file " + file + " is not UTF-8 text");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the " + what + " file " + file + ": "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
    }

    /** Whether group or others may read {@code file} (false where the file system has no POSIX modes). */
    public static boolean readableByOthers(Path file) {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null) {
            return false;
        }
        try {
            Set<PosixFilePermission> p = view.readAttributes().permissions();
            return p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ);
        } catch (IOException e) {
            return false;
        }
    }

    private static void warnIfShared(Path file, String what) {
        if (readableByOthers(file)) {
            log.warn("the {} file {} may be read by other users: chmod 600 {}", what, file, file);
        }
    }

    /**
     * Writes {@code text} (plus a line break) to {@code file} with mode 0600. A new file is
     * created with that mode, so the content is never readable by others, not even for a moment;
     * an existing file is replaced (atomically, through a 0600 temporary file) only when
     * {@code replace} is true.
     */
    public static void write(Path file, String text, boolean replace) {
        byte[] bytes = (text.endsWith("\n") ? text : text + "\n").getBytes(StandardCharsets.UTF_8);
        Path dir = file.toAbsolutePath().getParent();
        try {
            if (dir != null) {
                Files.createDirectories(dir);
            }
            if (!replace) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                Files.write(file, bytes);
                return;
            }
            Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            try {
                Files.write(tmp, bytes);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException(file + " exists already; remove it first (or replace it on purpose)");
        } catch (UnsupportedOperationException e) {
            throw new IllegalStateException("cannot write " + file + " with mode 0600 on this file system");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
