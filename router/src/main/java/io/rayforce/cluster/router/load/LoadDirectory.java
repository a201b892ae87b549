package io.rayforce.cluster.router.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The one directory {@code (.cluster.loadFile ...)} may read from, so a client cannot make the
 * cluster read any other file of its machines. A path is taken relative to the directory (an
 * absolute one must lie in it); after following every symbolic link it must still lie in the
 * directory and be a regular file. Anything else is refused with a message naming the path and
 * the rule, before the file is opened.
 */
public final class LoadDirectory {
    private final Path root;

    private LoadDirectory(Path root) {
        this.root = root;
    }

    /** The directory {@code dir} (it must exist); its real path is what paths are checked against. */
    public static LoadDirectory of(Path dir) {
        try {
            Path real = dir.toRealPath();
            if (!Files.isDirectory(real)) {
                throw new IllegalArgumentException("the load directory " + dir + " is not a directory");
            }
            return new LoadDirectory(real);
        } catch (IOException e) {
            throw new IllegalArgumentException("the load directory " + dir + " cannot be used: " + e);
        }
    }

    public Path root() {
        return root;
    }

    /** Why {@code given} is refused: a {@link Refused} naming it and the rule. */
    public static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    /**
     * The file {@code given} names inside the directory.
     *
     * @throws Refused when it lies outside the directory (also through a link) or is not a regular file
     * @throws NoSuchFileException when it does not exist
     */
    public Path resolve(String given) throws IOException {
        if (given == null || given.isBlank() || given.indexOf('\0') >= 0) {
            throw new Refused("the path '" + given + "' is empty or not a path; give a file in the load directory " + root);
        }
        Path p;
        try {
            p = root.resolve(given).normalize();
        } catch (InvalidPathException e) {
            throw new Refused("the path '" + given + "' is not a valid path: " + e.getMessage());
        }
        if (!p.startsWith(root)) {
            throw refusal(given, "is outside");
        }
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchFileException(given, null, "no such file in the load directory " + root);
        }
        Path real = p.toRealPath();
        if (!real.startsWith(root)) {
            throw refusal(given, "leads (through a symbolic link) outside");
        }
        if (!Files.isRegularFile(real)) {
            throw new Refused("the path '" + given + "' is not a regular file; only files in the load directory " + root
                    + " can be loaded");
        }
        return real;
    }

    private Refused refusal(String given, String how) {
        return new Refused("the path '" + given + "' " + how + " the load directory " + root + "; files are loaded only from "
                + "the directory the gateway was started with (--load-dir), never from elsewhere on its machine");
    }
}
