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
    /** Every line each process printed so far (stdout and stderr). */
    private static final Map<Process, List<String>> OUTPUT = new WeakHashMap<>();

    private RfcProcess() {
    }

    static Process start(String... args) throws IOException {
        return start(List.of(), args);
    }

    /**
     * As the user's {@code rfc}, logging as its jar does (deploy's logback.xml, not the tests'
     * logback-test.xml that the test class path also holds).
     */
    static Process startWithItsLogging(String... args) throws IOException {
        return start(List.of("-Dlogback.configurationFile=" + Rfc.class.getClassLoader().getResource("logback.xml")), args);
    }

    private static Process start(List<String> jvmArgs, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx1g", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                "-Drayforce.root=" + System.getProperty("rayforce.root", "")));
        cmd.addAll(jvmArgs);
        cmd.add(Rfc.class.getName());
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
        List<String> all = output(p);
        CompletableFuture<Boolean> found = CompletableFuture.supplyAsync(() -> {
            try {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (seen) {
                        seen.add(line);
                    }
                    synchronized (all) {
                        all.add(line);
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
            Thread drainer = new Thread(() -> r.lines().forEach(l -> {
                synchronized (all) {
                    all.add(l);
                }
            }), "rfc-output-drain");
            drainer.setDaemon(true);
            drainer.start();
            return new ArrayList<>(seen);
        }
    }

    /** Every line {@code p} printed so far (read by {@link #awaitLine} and, after it, in the background); a live list. */
    static List<String> output(Process p) {
        synchronized (OUTPUT) {
            return OUTPUT.computeIfAbsent(p, x -> new ArrayList<>());
        }
    }

    /** A copy of {@link #output}. */
    static List<String> lines(Process p) {
        List<String> all = output(p);
        synchronized (all) {
            return new ArrayList<>(all);
        }
    }

    /** SIGKILLs the process and everything it started (a test's last resort; a passing test stops them itself). */
    static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }
}
