package io.rayforce.cluster.chaos.workload;

import io.rayforce.cluster.client.ipc.ValueReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * rayforce-py's {@code TCPClient} as a workload client: a Python process (the project's
 * {@code .venv}) that reads one Rayfall request per line, runs it through {@code TCPClient} on
 * the gateway, and prints the answer serialized by the engine's own serializer as hex, which
 * {@link ValueReader} turns back into a value for the checker. A request with no answer within
 * the timeout kills the process; the next request starts a new one.
 */
public final class PythonGatewayClient implements GatewayClient {
    private static final String SCRIPT = """
            import sys
            from rayforce import TCPClient
            from rayforce.ffi import FFI
            host, port = sys.argv[1], int(sys.argv[2])
            c = None
            for line in sys.stdin:
                src = line.rstrip('\\n')
                if c is None:
                    try:
                        c = TCPClient(host, port)
                    except Exception as e:
                        print('NOCONN ' + type(e).__name__ + ': ' + str(e).replace('\\n', ' '), flush=True)
                        continue
                try:
                    r = c.execute(src)
                    print('OK ' + FFI.read_u8_vector(FFI.ser_obj(r.ptr)).hex(), flush=True)
                except Exception as e:
                    print('ERR ' + type(e).__name__ + ': ' + str(e).replace('\\n', ' '), flush=True)
                    try:
                        c.close()
                    except Exception:
                        pass
                    c = None
            """;

    private final Path python;
    private final String host;
    private final int port;
    private final Duration timeout;
    private Process process;
    private OutputStream stdin;
    private BlockingQueue<String> lines;

    public PythonGatewayClient(Path python, String host, int port, Duration timeout) {
        this.python = python;
        this.host = host;
        this.port = port;
        this.timeout = timeout;
    }

    /** The project's Python with rayforce-py (scripts/install-engine makes it). */
    public static Path projectPython() {
        return Path.of(System.getProperty("rayforce.root", ".."), ".venv", "bin", "python").toAbsolutePath().normalize();
    }

    @Override
    public Reply execute(String rayfall) {
        if (rayfall.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("one request per line: no newlines in " + rayfall);
        }
        try {
            if (process == null || !process.isAlive()) {
                start();
            }
            stdin.write((rayfall + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null) {
                close();
                return Reply.failed("rayforce-py: no answer within " + timeout, true);
            }
            if (line.startsWith("OK ")) {
                byte[] b = HexFormat.of().parseHex(line.substring(3).strip());
                return Reply.of(ValueReader.read(ByteBuffer.wrap(b, 16, b.length - 16), ValueReader.Mode.RESULT));
            }
            if (line.startsWith("NOCONN ")) {
                return Reply.failed("rayforce-py connect: " + line.substring(7), false);
            }
            if (line.startsWith("ERR ")) {
                return Reply.failed("rayforce-py: " + line.substring(4), true);
            }
            close();
            return Reply.failed("rayforce-py process: " + line, true);
        } catch (IOException e) {
            close();
            return Reply.failed("rayforce-py process: " + e, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            return Reply.failed("interrupted", true);
        }
    }

    private void start() throws IOException {
        Path script = Files.createTempFile("chaos-client", ".py");
        Files.writeString(script, SCRIPT);
        script.toFile().deleteOnExit();
        process = new ProcessBuilder(python.toString(), "-u", script.toString(), host, String.valueOf(port))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        stdin = process.getOutputStream();
        BlockingQueue<String> q = new LinkedBlockingQueue<>();
        lines = q;
        Process p = process;
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    q.add(l);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "rayforce-py-reader");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }
}
