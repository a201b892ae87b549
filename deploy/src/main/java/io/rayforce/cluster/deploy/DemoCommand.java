package io.rayforce.cluster.deploy;

import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.engine.NativeServer;
import io.rayforce.cluster.client.value.RayValue;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Starts a native Rayforce server and runs a few queries through the Java client. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start a native Rayforce server and run sample queries through the Java TCPClient.")
public final class DemoCommand implements Callable<Integer> {

    private static final List<String> QUERIES = List.of(
            "(+ 1 2)",
            "(set trades (table [sym px qty] (list [AAPL MSFT AAPL GOOG MSFT] [189.5 411.2 190.1 141.8 410.9] [100 200 150 300 50])))",
            "(select {from: trades where: (> qty 100)})",
            "(select {n: (count px) vwap: (wavg qty px) by: sym from: trades})",
            "(select {from: trades desc: px take: 2})");

    @Override
    public Integer call() {
        PrintStream out = System.out;
        try (NativeServer server = NativeServer.startOnFreePort()) {
            out.println("native Rayforce server listening on " + server.host() + ":" + server.port() + " (pid " + server.pid() + ")");
            try (TCPClient client = new TCPClient(server.host(), server.port())) {
                out.println(client);
                for (String q : QUERIES) {
                    long t0 = System.nanoTime();
                    RayValue v = client.execute(q);
                    long micros = (System.nanoTime() - t0) / 1000;
                    out.println();
                    out.println("> " + q + "   [" + micros + " us]");
                    out.println(Tables.render(v));
                }
            }
        }
        return 0;
    }
}
