package io.rayforce.cluster.node.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A test JVM's child JVM running a main class from the test classpath, with its output kept,
 * lines watched, and a hard kill of it and every process it started. Every child still running
 * when the test JVM exits is killed; a child also exits by itself when its standard input closes.
 */
final class ChildJvm {
    private static final Set<ChildJvm> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(ChildJvm::kill9), "child-jvm-reaper"));
    }

    private final String name;
    private final Process process;
    private final Deque<String> output = new ArrayDeque<>();

    private ChildJvm(String name, Process process) {
        this.name = name;
        this.process = process;
    }

    /** Starts {@code mainClass} with {@code args}; {@code onLine} sees every output line. */
    static ChildJvm start(String name, Class<?> mainClass, List<String> args, Consumer<String> onLine) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener",
                "-cp", System.getProperty("java.class.path"),
                "-Drayforce.root=" + System.getProperty("rayforce.root", ""), mainClass.getName()));
        cmd.addAll(args);
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChildJvm child = new ChildJvm(name, p);
        RUNNING.add(child);
        child.pump(onLine);
        return child;
    }

    private void pump(Consumer<String> onLine) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (output) {
                        output.addLast(line);
                        if (output.size() > 400) {
                            output.removeFirst();
                        }
                    }
                    onLine.accept(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
            onLine.accept(null);
        }, "child-jvm-" + name);
        t.setDaemon(true);
        t.start();
    }

    Process process() {
        return process;
    }

    String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    /** SIGKILL to every process the child started, then to the child; waits until all are gone. */
    void kill9() {
        List<ProcessHandle> descendants = process.descendants().toList();
        descendants.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
            for (ProcessHandle d : descendants) {
                d.onExit().get(10, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException(name + " did not die", e);
        }
        RUNNING.remove(this);
    }

    /** SIGTERM, waiting up to 30 s (then SIGKILL); returns the exit code. */
    int stop() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill9();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill9();
        }
        RUNNING.remove(this);
        return process.exitValue();
    }

    boolean awaitExit(long millis) throws InterruptedException {
        boolean exited = process.waitFor(millis, TimeUnit.MILLISECONDS);
        if (exited) {
            RUNNING.remove(this);
        }
        return exited;
    }

    /** Kills the child (and what it started) if anything of it still runs. */
    void close() {
        if (process.isAlive() || process.descendants().findAny().isPresent()) {
            kill9();
        }
        RUNNING.remove(this);
    }

    /** A future completed by the first line starting with {@code prefix} (failed when the output ends first). */
    static final class LineWatch implements Consumer<String> {
        private final String prefix;
        final CompletableFuture<String> line = new CompletableFuture<>();

        LineWatch(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public void accept(String l) {
            if (l == null) {
                line.completeExceptionally(new IllegalStateException("process exited before printing " + prefix));
            } else if (l.startsWith(prefix)) {
                line.complete(l);
            }
        }
    }
}
