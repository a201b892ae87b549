package io.rayforce.cluster.coordinator.testing;

import io.rayforce.cluster.coordinator.server.Coordinator;
import io.rayforce.cluster.coordinator.server.CoordinatorConfig;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A coordinator in its own JVM, so a test can kill it outright (SIGKILL): its ZooKeeper session
 * then ends only when it times out, as with a crashed machine.
 */
public final class CoordinatorProcess implements AutoCloseable {
    private final Process process;
    private final String address;

    private CoordinatorProcess(Process process, String address) {
        this.process = process;
        this.address = address;
    }

    /** Starts {@code main} below in a new JVM and waits for it to serve. */
    public static CoordinatorProcess start(String connectString, String cluster, Duration repairGrace) throws IOException {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        File log = File.createTempFile("coordinator-process", ".log");
        log.deleteOnExit();
        Process p = new ProcessBuilder(java, "-Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener",
                "-cp", System.getProperty("java.class.path"), CoordinatorProcess.class.getName(),
                connectString, cluster, Long.toString(repairGrace.toMillis()))
                .redirectError(log)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        while (line != null && !line.startsWith("SERVING ")) {
            line = out.readLine();
        }
        Thread drain = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // keep the pipe empty
                }
            } catch (IOException ignored) {
                // process gone
            }
        }, "coordinator-process-stdout");
        drain.setDaemon(true);
        drain.start();
        if (line == null) {
            p.destroyForcibly();
            throw new IOException("coordinator process did not start (log in " + log + "): " + line);
        }
        return new CoordinatorProcess(p, line.substring("SERVING ".length()).trim());
    }

    public String address() {
        return address;
    }

    /** SIGKILL: no clean shutdown, the session lingers until ZooKeeper expires it. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    public static void main(String[] args) throws Exception {
        CoordinatorConfig config = CoordinatorConfig.defaults(args[0]).withCluster(args[1]).withHost("127.0.0.1")
                .withRepairGrace(Duration.ofMillis(Long.parseLong(args[2]))).withSessionTimeout(Duration.ofSeconds(4));
        Coordinator c = Coordinator.start(config);
        System.out.println("SERVING " + c.address());
        System.out.flush();
        Thread.currentThread().join();
    }
}
