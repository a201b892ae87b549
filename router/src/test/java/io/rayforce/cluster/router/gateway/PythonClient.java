package io.rayforce.cluster.router.gateway;

import io.rayforce.cluster.client.testing.RayforcePy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs a few lines of Python with rayforce-py's {@code TCPClient} connected as {@code c} (or the
 * connection error printed as {@code ERR Type message}) and returns what they printed.
 */
final class PythonClient {
    private PythonClient() {
    }

    static String run(String host, int port, String password, String... body) {
        return runAs(host, port, "alice", password, body);
    }

    /** As {@link #run}, connecting as {@code user}. */
    static String runAs(String host, int port, String user, String password, String... body) {
        StringBuilder py = new StringBuilder();
        py.append("import sys\nfrom rayforce import TCPClient\nfrom rayforce.ffi import FFI\n")
                .append("try:\n")
                .append("    c = TCPClient('").append(host).append("', ").append(port)
                .append(password == null ? "" : ", user='" + user + "', password='" + password + "'").append(")\n")
                .append("except Exception as e:\n")
                .append("    print('ERR', type(e).__name__, e)\n")
                .append("    sys.exit(0)\n");
        for (String line : body) {
            py.append(line).append('\n');
        }
        try {
            Path script = Files.createTempFile("rayforce-py-client", ".py");
            try {
                Files.writeString(script, py);
                Process p = new ProcessBuilder(RayforcePy.python().toString(), script.toString()).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("rayforce-py script did not finish: " + out);
                }
                return out;
            } finally {
                Files.deleteIfExists(script);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run rayforce-py at " + RayforcePy.python(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
