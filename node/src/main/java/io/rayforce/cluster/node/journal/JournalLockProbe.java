package io.rayforce.cluster.node.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Whether a process holds an engine journal's lock {@code BASE.lk}. The engine takes it with
 * {@code flock}, which Java's own file locks (POSIX record locks) do not see, so this reads the
 * kernel's table {@code /proc/locks} (Linux) for a lock on the file's inode ({@code MAJ:MIN:INODE}).
 * Where that table cannot be read, it answers false.
 */
final class JournalLockProbe {
    private JournalLockProbe() {
    }

    static boolean held(Path lockFile) {
        Path table = Path.of("/proc/locks");
        if (!Files.exists(lockFile) || !Files.isReadable(table)) {
            return false;
        }
        long inode;
        List<String> lines;
        try {
            inode = ((Number) Files.getAttribute(lockFile, "unix:ino")).longValue();
            lines = Files.readAllLines(table);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
        for (String line : lines) {
            if (line.contains("->")) {
                continue; // a process waiting for the lock, not holding it
            }
            for (String field : line.trim().split("\\s+")) {
                String[] parts = field.split(":");
                if (parts.length == 3 && parts[2].chars().allMatch(Character::isDigit) && !parts[2].isEmpty()) {
                    try {
                        if (Long.parseLong(parts[2]) == inode) {
                            // the inode alone decides (the device numbers of overlay file systems
                            // differ between stat and this table); a false "held" only skips one compaction
                            return true;
                        }
                    } catch (NumberFormatException ignored) {
                        // not a device:inode field
                    }
                }
            }
        }
        return false;
    }
}
