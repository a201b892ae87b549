package io.rayforce.cluster.router.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A router in a child JVM ({@link RouterProcessMain}) that a test sends commands to and kills
 * with SIGKILL, as a crashed gateway host would die. Its output lines are kept in order; the
 * child exits by itself when this JVM dies (its standard input closes).
 */
public final class RouterProcess implements AutoCloseable {
    private final Process process;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> all = new ArrayList<>();

    private RouterProcess(Process process) {
        this.process = process;
        Thread pump = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (all) {
                        all.add(line);
                    }
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "router-process-output");
        pump.setDaemon(true);
        pump.start();
    }

    /** Starts a router of {@code cluster} with a ZooKeeper session of {@code session}; waits until it is ready. */
    public static RouterProcess start(String zookeeper, String cluster, Duration session) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "-Xmx768m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener",
                "-cp", System.getProperty("java.class.path"), RouterProcessMain.class.getName(),
                "zk=" + zookeeper, "cluster=" + cluster, "session=" + session.toMillis());
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RouterProcess r = new RouterProcess(p);
        r.await("READY", Duration.ofSeconds(60));
        return r;
    }

    public long pid() {
        return process.pid();
    }

    /** Sends one command line. */
    public void send(String command) {
        try {
            OutputStream out = process.getOutputStream();
            out.write((command + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next output line starting with {@code prefix} (earlier lines are skipped). */
    public String await(String prefix, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new IllegalStateException("the router printed no " + prefix + " line within " + timeout + ":\n" + output());
                }
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The lines printed so far that start with DONE or FAILED. */
    public List<String> outcomes() {
        synchronized (all) {
            return all.stream().filter(l -> l.startsWith("DONE") || l.startsWith("FAILED")).toList();
        }
    }

    public String output() {
        synchronized (all) {
            return String.join("\n", all.subList(Math.max(0, all.size() - 100), all.size()));
        }
    }

    /** SIGKILL; waits until the process is gone. */
    public void kill9() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the router process did not die");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill9();
        }
    }
}
