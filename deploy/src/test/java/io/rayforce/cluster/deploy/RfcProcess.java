package io.rayforce.cluster.deploy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The {@code rfc} command line run as a child JVM, as a user runs it, with its output read line by line. */
final class RfcProcess {
    private static final Map<Process, BufferedReader> READERS = new WeakHashMap<>();

    private RfcProcess() {
    }

    static Process start(String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx1g", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                "-Drayforce.root=" + System.getProperty("rayforce.root", ""), Rfc.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    /** Reads lines until one starts with {@code prefix} (within 90 s); returns every line read, that one last. */
    static List<String> awaitLine(Process p, String prefix) throws Exception {
        BufferedReader r;
        synchronized (READERS) {
            r = READERS.computeIfAbsent(p, x -> new BufferedReader(new InputStreamReader(x.getInputStream(), StandardCharsets.UTF_8)));
        }
        List<String> seen = new ArrayList<>();
        CompletableFuture<Boolean> found = CompletableFuture.supplyAsync(() -> {
            try {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (seen) {
                        seen.add(line);
                    }
                    if (line.startsWith(prefix)) {
                        return true;
                    }
                }
                return false;
            } catch (IOException e) {
                return false;
            }
        });
        boolean ok;
        try {
            ok = found.get(90, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            ok = false;
        }
        synchronized (seen) {
            if (!ok) {
                throw new AssertionError("rfc never printed '" + prefix + "'; it printed:\n" + String.join("\n", seen));
            }
            // keep reading in the background so the child never blocks on a full pipe
            Thread drainer = new Thread(() -> r.lines().forEach(l -> { }), "rfc-output-drain");
            drainer.setDaemon(true);
            drainer.start();
            return new ArrayList<>(seen);
        }
    }

    /** SIGKILLs the process and everything it started (a test's last resort; a passing test stops them itself). */
    static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }
}
