package io.rayforce.cluster.node.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A node agent running in a child JVM ({@link NodeProcessMain}) with its engine, so that a test
 * can kill a node for real: {@link #kill9()} sends SIGKILL to the engine and the agent JVM at
 * once, as a host crash would. Every process started here is killed when the test JVM exits.
 */
public final class NodeProcess implements AutoCloseable {
    private final String id;
    private final ChildJvm jvm;
    private final CompletableFuture<Void> drained;
    private final int ipcPort;
    private final int controlPort;

    private NodeProcess(String id, ChildJvm jvm, CompletableFuture<Void> drained, int ipcPort, int controlPort) {
        this.id = id;
        this.jvm = jvm;
        this.drained = drained;
        this.ipcPort = ipcPort;
        this.controlPort = controlPort;
    }

    /**
     * Starts a node and waits until it is registered. {@code extra} are further
     * {@link NodeProcessMain} arguments ({@code ipc=PORT}, {@code hung=MS}).
     */
    public static NodeProcess start(String zookeeper, String cluster, String id, Path data, Duration sessionTimeout, String... extra) {
        ChildJvm.LineWatch ready = new ChildJvm.LineWatch("READY ");
        CompletableFuture<Void> drained = new CompletableFuture<>();
        List<String> args = new ArrayList<>(List.of("zk=" + zookeeper, "cluster=" + cluster, "id=" + id, "data=" + data,
                "session=" + sessionTimeout.toMillis()));
        args.addAll(List.of(extra));
        ChildJvm jvm = ChildJvm.start("node-" + id, NodeProcessMain.class, args, line -> {
            ready.accept(line);
            if (line != null && line.startsWith("DRAINED ")) {
                drained.complete(null);
            }
        });
        try {
            String[] r = ready.line.get(60, TimeUnit.SECONDS).split(" ");
            return new NodeProcess(id, jvm, drained, Integer.parseInt(r[2]), Integer.parseInt(r[3]));
        } catch (Exception e) {
            jvm.kill9();
            throw new IllegalStateException("node " + id + " did not start: " + e + "\n" + jvm.output(), e);
        }
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
        return jvm.process().pid();
    }

    public boolean isAlive() {
        return jvm.process().isAlive();
    }

    /** The node's engine processes (its children). */
    public List<ProcessHandle> engines() {
        return jvm.process().descendants().toList();
    }

    /** Completes when the node reported that it is drained. */
    public CompletableFuture<Void> drained() {
        return drained;
    }

    /** The node's recent output (its log). */
    public String output() {
        return jvm.output();
    }

    /** SIGKILL to the engine and the agent JVM, as a crash of the host would; waits until both are gone. */
    public void kill9() {
        jvm.kill9();
    }

    /** SIGTERM: the agent leaves the cluster and stops its engine. Returns the exit code. */
    public int stop() {
        return jvm.stop();
    }

    /** Waits for the process to exit by itself (after a drain). */
    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return jvm.awaitExit(timeout.toMillis());
    }

    public int exitCode() {
        return jvm.process().exitValue();
    }

    @Override
    public void close() {
        jvm.close();
    }

    @Override
    public String toString() {
        return "NodeProcess(" + id + ", pid " + pid() + ", IPC " + ipcPort + ")";
    }
}
