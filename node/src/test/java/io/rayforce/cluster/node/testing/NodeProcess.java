package io.rayforce.cluster.node.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A node agent running in a child JVM ({@link NodeProcessMain}) with its engine, so that a test
 * can kill a node for real: {@link #kill9()} sends SIGKILL to the engine and the agent JVM at
 * once, as a host crash would. Every process started here is killed when the test JVM exits.
 */
public final class NodeProcess implements AutoCloseable {
    private static final Set<NodeProcess> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(NodeProcess::kill9), "node-process-reaper"));
    }

    private final String id;
    private final Process process;
    private final Deque<String> output = new ArrayDeque<>();
    private final CompletableFuture<String[]> ready = new CompletableFuture<>();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private int ipcPort;
    private int controlPort;

    private NodeProcess(String id, Process process) {
        this.id = id;
        this.process = process;
    }

    /** Starts a node and waits until it is registered. */
    public static NodeProcess start(String zookeeper, String cluster, String id, Path data, Duration sessionTimeout, String... extra) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                "-Drayforce.root=" + System.getProperty("rayforce.root", ""),
                NodeProcessMain.class.getName(), "zk=" + zookeeper, "cluster=" + cluster, "id=" + id, "data=" + data,
                "session=" + sessionTimeout.toMillis()));
        cmd.addAll(List.of(extra));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        NodeProcess n = new NodeProcess(id, p);
        RUNNING.add(n);
        n.pump();
        try {
            String[] r = n.ready.get(60, TimeUnit.SECONDS);
            n.ipcPort = Integer.parseInt(r[2]);
            n.controlPort = Integer.parseInt(r[3]);
        } catch (Exception e) {
            n.kill9();
            throw new IllegalStateException("node " + id + " did not start: " + e + "\n" + n.output(), e);
        }
        return n;
    }

    private void pump() {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (output) {
                        output.addLast(line);
                        if (output.size() > 300) {
                            output.removeFirst();
                        }
                    }
                    if (line.startsWith("READY ")) {
                        ready.complete(line.split(" "));
                    } else if (line.startsWith("DRAINED ")) {
                        drained.complete(null);
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
            ready.completeExceptionally(new IllegalStateException("node process " + id + " exited"));
        }, "node-process-" + id);
        t.setDaemon(true);
        t.start();
    }

    public String id() {
        return id;
    }

    public int ipcPort() {
        return ipcPort;
    }

    public int controlPort() {
        return controlPort;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The node's engine processes (its children). */
    public List<ProcessHandle> engines() {
        return process.descendants().toList();
    }

    /** Completes when the node reported that it is drained. */
    public CompletableFuture<Void> drained() {
        return drained;
    }

    /** The node's recent output (its log). */
    public String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    /** SIGKILL to the engine and the agent JVM, as a crash of the host would; waits until both are gone. */
    public void kill9() {
        List<ProcessHandle> children = process.descendants().toList();
        children.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
            for (ProcessHandle c : children) {
                c.onExit().get(10, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("node " + id + " did not die", e);
        }
        RUNNING.remove(this);
    }

    /** SIGTERM: the agent leaves the cluster and stops its engine. Returns the exit code. */
    public int stop() {
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

    /** Waits for the process to exit by itself (after a drain). */
    public boolean awaitExit(Duration timeout) throws InterruptedException {
        boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (exited) {
            RUNNING.remove(this);
        }
        return exited;
    }

    @Override
    public void close() {
        if (process.isAlive() || process.descendants().findAny().isPresent()) {
            kill9();
        }
        RUNNING.remove(this);
    }

    @Override
    public String toString() {
        return "NodeProcess(" + id + ", pid " + process.pid() + ", IPC " + ipcPort + ")";
    }
}
