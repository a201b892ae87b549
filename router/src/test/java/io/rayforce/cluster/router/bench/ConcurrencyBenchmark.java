package io.rayforce.cluster.router.bench;

import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.router.gateway.Gateway;
import io.rayforce.cluster.router.gateway.GatewayOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Concurrent clients: 1, 8, 32 and 64 clients, each on its own connection (Java TCPClient),
 * sending a mix of small queries (a count, a one-shard select, a 200-group group-by, a filtered
 * count) for a fixed time, through the gateway of a 3-node cluster and to one server holding the
 * same rows ({@link ShardedAndOne}). Reports requests per second, p50 and p99 and errors (a
 * connection refused or a request failed) per path and level. Run with
 * {@code scripts/bench concurrency [--rows N --seconds S --clients 1,8,32,64]}.
 */
public final class ConcurrencyBenchmark {
    private static final List<String> MIX = List.of(
            "(count t)",
            "(select {px: px from: t where: (== id 7)})",
            "(select {n: (count px) s: (sum qty) by: sym from: t})",
            "(count (select {from: t where: (< qty 10)}))");

    private ConcurrencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        BenchArgs a = new BenchArgs(args);
        int rows = a.intArg("--rows", 1_000_000);
        int seconds = a.intArg("--seconds", 10);
        List<Integer> levels = new ArrayList<>();
        for (String l : a.stringArg("--clients", "1,8,32,64").split(",")) {
            levels.add(Integer.parseInt(l.trim()));
        }
        Path out = Path.of(a.stringArg("--out", "router/target/bench/concurrency.md"));
        StringBuilder md = new StringBuilder("### Concurrent clients\n\n");
        md.append(String.format(Locale.ROOT, "%,d rows; each client on its own connection sends the mix %s in turn for %d s per "
                + "level and path; the gateway of three node agents (one engine each) against one server with the same rows; "
                + "%s.%n%n", rows, MIX, seconds, BenchArgs.machine()))
                .append("| clients | path | requests/s | p50 ms | p99 ms | errors |\n|---|---|---|---|---|---|\n");
        try (ShardedAndOne both = new ShardedAndOne(rows);
             Gateway gateway = new Gateway(both.client, GatewayOptions.DEFAULT).start("127.0.0.1", 0)) {
            // warm both paths (JIT, connections, the router's leases and reused steps) before measuring
            run(new StringBuilder(), 8, "gateway", "127.0.0.1", gateway.port(), 3);
            run(new StringBuilder(), 8, "one server", both.one.host(), both.one.port(), 3);
            for (int n : levels) {
                run(md, n, "gateway", "127.0.0.1", gateway.port(), seconds);
                run(md, n, "one server", both.one.host(), both.one.port(), seconds);
            }
        }
        md.append(String.format(Locale.ROOT, "%nLoad average after: %s.%n", BenchArgs.loadAverage()));
        BenchArgs.publish(md.toString(), out);
    }

    private static void run(StringBuilder md, int clients, String path, String host, int port, int seconds) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        AtomicLong errors = new AtomicLong();
        List<Samples> all = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(clients);
        for (int c = 0; c < clients; c++) {
            Samples s = new Samples(1 << 14);
            all.add(s);
            int first = c;
            Thread t = new Thread(() -> {
                try (TCPClient client = new TCPClient(host, port)) {
                    for (int i = first; System.nanoTime() < end; i++) {
                        long t0 = System.nanoTime();
                        try {
                            client.execute(MIX.get(i % MIX.size()));
                            s.add(System.nanoTime() - t0);
                        } catch (RuntimeException e) {
                            errors.incrementAndGet();
                        }
                    }
                } catch (RuntimeException e) {
                    errors.incrementAndGet(); // could not connect
                } finally {
                    done.countDown();
                }
            }, "bench-client-" + c);
            t.setDaemon(true);
            t.start();
        }
        done.await();
        Samples merged = new Samples(1 << 16);
        long count = 0;
        for (Samples s : all) {
            count += s.size();
            s.forEach(merged::add);
        }
        md.append(String.format(Locale.ROOT, "| %d | %s | %,.0f | %.3f | %.3f | %d |%n", clients, path, count / (double) seconds,
                merged.size() == 0 ? 0 : merged.quantileMillis(0.5), merged.size() == 0 ? 0 : merged.quantileMillis(0.99), errors.get()));
    }
}
