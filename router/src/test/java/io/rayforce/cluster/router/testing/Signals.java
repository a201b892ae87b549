package io.rayforce.cluster.router.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Sends SIGSTOP and SIGCONT to processes through one shell's {@code kill} builtin, so that a test
 * can freeze a router or an engine at a chosen moment within a millisecond or so (no process is
 * started per signal). A stopped process keeps its connections: its peers just wait.
 */
public final class Signals implements AutoCloseable {
    private final Process shell;
    private final BufferedReader answers;

    public Signals() {
        try {
            shell = new ProcessBuilder("bash").redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        answers = new BufferedReader(new InputStreamReader(shell.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Freezes the processes. */
    public void stop(long... pids) {
        run("STOP", pids);
    }

    /** Lets frozen processes go on. */
    public void cont(long... pids) {
        run("CONT", pids);
    }

    private void run(String signal, long... pids) {
        String list = Arrays.stream(pids).mapToObj(Long::toString).collect(Collectors.joining(" "));
        try {
            OutputStream in = shell.getOutputStream();
            in.write(("kill -" + signal + " " + list + "; echo signalled $?\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
            String line = answers.readLine();
            if (line == null || !line.equals("signalled 0")) {
                throw new IllegalStateException("kill -" + signal + " " + list + " answered " + line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        shell.destroy();
    }
}
