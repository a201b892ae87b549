package io.rayforce.cluster.node.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code DATA/engine.pid}: the process id of the engine a node agent runs. When an agent dies
 * without stopping its engine (SIGKILL of the JVM), the engine lives on, holding the port and the
 * journal lock; the next agent on the same data directory finds it through this file and stops it
 * before starting its own. Only a process whose command line names this journal base is stopped.
 */
public final class EnginePidFile {
    private static final Logger log = LoggerFactory.getLogger(EnginePidFile.class);

    private final Path file;
    private final String journalBase;

    public EnginePidFile(Path file, Path journalBase) {
        this.file = file;
        this.journalBase = journalBase.toAbsolutePath().toString();
    }

    public void write(long pid) {
        try {
            Files.writeString(file, pid + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    public void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("cannot delete {}: {}", file, e.getMessage());
        }
    }

    /** Stops an engine left running by an earlier agent on this data directory; true when there was one. */
    public boolean stopOrphan() {
        Optional<Long> pid = read();
        if (pid.isEmpty()) {
            return false;
        }
        Optional<ProcessHandle> h = ProcessHandle.of(pid.get());
        boolean stopped = false;
        if (h.isPresent() && h.get().isAlive() && commandLine(h.get()).contains(journalBase)) {
            log.warn("stopping engine pid {} left running on journal {} by an earlier node agent", pid.get(), journalBase);
            h.get().destroy();
            try {
                h.get().onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                h.get().destroyForcibly();
                try {
                    h.get().onExit().get(5, TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    log.error("engine pid {} did not stop", pid.get());
                }
            }
            stopped = true;
        }
        delete();
        return stopped;
    }

    private Optional<Long> read() {
        try {
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            return Optional.of(Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).strip()));
        } catch (IOException | NumberFormatException e) {
            log.warn("ignoring unreadable {}: {}", file, e.getMessage());
            return Optional.empty();
        }
    }

    private static String commandLine(ProcessHandle h) {
        Path proc = Path.of("/proc", Long.toString(h.pid()), "cmdline");
        try {
            if (Files.exists(proc)) {
                return new String(Files.readAllBytes(proc), StandardCharsets.UTF_8).replace('\0', ' ');
            }
        } catch (IOException ignored) {
            // fall back to what the JDK knows
        }
        return h.info().commandLine().orElse("");
    }
}
