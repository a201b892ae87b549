package io.rayforce.cluster.client.testing;

import io.rayforce.cluster.client.ipc.ValueReader;
import io.rayforce.cluster.client.value.RayValue;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs rayforce-py's own query objects through rayforce-py's TCPClient against a test server
 * and brings the results back: the Python side serializes each result with the engine's
 * serializer ({@code FFI.ser_obj}) and prints it as hex, which {@link ValueReader} decodes.
 * Each expression is Python evaluated with {@code c} (the client), {@code Table}, {@code Column},
 * {@code SQLQuery}, {@code TableColumnInterval} and {@code q(src)} (run Rayfall text) in scope.
 */
public final class RayforcePy {
    private RayforcePy() {
    }

    /** A result, or the Python error when rayforce-py failed. */
    public record Result(RayValue value, String error) {
    }

    public static Path python() {
        String root = System.getProperty("rayforce.root", ".");
        Path p = Path.of(root, ".venv", "bin", "python");
        return Files.isExecutable(p) ? p : Path.of(root).toAbsolutePath().getParent().resolve(".venv/bin/python");
    }

    /** Evaluates each Python expression in order (earlier ones may change server state) and returns their results. */
    public static List<Result> run(int port, String... expressions) {
        StringBuilder py = new StringBuilder();
        py.append("import sys\n")
                .append("from rayforce import TCPClient, Table, Column\n")
                .append("from rayforce.ffi import FFI\n")
                .append("from rayforce.types.table import TableColumnInterval\n")
                .append("try:\n    from rayforce.plugins.sql import SQLQuery\nexcept Exception:\n    SQLQuery = None\n")
                .append("c = TCPClient('127.0.0.1', ").append(port).append(")\n")
                .append("def q(src):\n    return c.execute(src)\n")
                .append("for src in sys.stdin.read().split('\\n'):\n")
                .append("    if not src.strip():\n        continue\n")
                .append("    try:\n")
                .append("        r = c.execute(eval(src))\n")
                .append("        sys.stdout.write('OK ' + FFI.read_u8_vector(FFI.ser_obj(r.ptr)).hex() + '\\n')\n")
                .append("    except Exception as e:\n")
                .append("        sys.stdout.write('ERR ' + type(e).__name__ + ': ' + str(e).replace('\\n', ' ') + '\\n')\n");
        try {
            Path script = Files.createTempFile("rayforce-py", ".py");
            Files.writeString(script, py);
            Process p = new ProcessBuilder(python().toString(), script.toString()).redirectErrorStream(false).start();
            p.getOutputStream().write(String.join("\n", expressions).getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("rayforce-py failed: " + err);
            }
            Files.deleteIfExists(script);
            List<Result> results = new ArrayList<>();
            for (String line : out.split("\n")) {
                if (line.startsWith("OK ")) {
                    byte[] b = Hex.parse(line.substring(3).strip());
                    results.add(new Result(ValueReader.read(ByteBuffer.wrap(b, 16, b.length - 16), ValueReader.Mode.RESULT), null));
                } else if (line.startsWith("ERR ")) {
                    results.add(new Result(null, line.substring(4)));
                }
            }
            if (results.size() != expressions.length) {
                throw new IllegalStateException("rayforce-py gave " + results.size() + " results for " + expressions.length
                        + " expressions: " + out + err);
            }
            return results;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run rayforce-py at " + python(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
