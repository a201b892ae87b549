package io.rayforce.cluster.node.bench;

import io.rayforce.cluster.client.ClientOptions;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.engine.EngineBinary;
import io.rayforce.cluster.client.engine.NativeServer;
import io.rayforce.cluster.client.engine.ServerOptions;
import io.rayforce.cluster.client.rayfall.RayfallReader;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.node.engine.EngineSupervisor;
import io.rayforce.cluster.node.engine.SupervisorSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Restart time and journal size of a node after many reads (issue 11, docs/node.md, The journal).
 * A node holds a modest shard table {@code t__0} (written as the router writes: value-form
 * inserts of the rows, in pages) and serves {@code --reads} point selects, then its engine is
 * killed (SIGKILL) and started again; the time until it answers again is the restart time.
 *
 * <ul>
 *   <li>{@code main}: what the node did before the journal's upkeep: the engine replays its whole
 *   journal, every read included (reads sent as the router sent them, without the restricted flag);</li>
 *   <li>{@code restricted}: this agent ({@link EngineSupervisor}), reads sent restricted as the
 *   router now sends them, no upkeep while they run: the start's compaction drops them;</li>
 *   <li>{@code unflagged}: this agent, reads sent without the flag (an older router): the
 *   compaction reads and checks each one, then drops it;</li>
 *   <li>{@code upkeep}: this agent with its upkeep running (a health check every second): the live
 *   journal is rolled and folded into a segment of the writes whenever it passes
 *   {@code --roll} bytes.</li>
 * </ul>
 *
 * Run with {@code scripts/bench restart [--rows N --reads N --runs N --roll BYTES]}.
 */
public final class RestartAfterReadsBenchmark {
    private RestartAfterReadsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rows = intArg(args, "--rows", 100_000);
        int reads = intArg(args, "--reads", 100_000);
        int runs = intArg(args, "--runs", 5);
        long roll = intArg(args, "--roll", 4 * 1024 * 1024);
        String only = stringArg(args, "--mode", "all");
        System.out.printf(Locale.ROOT, "restart after %,d reads, table of %,d rows, %d runs; load %s%n", reads, rows, runs, load());
        System.out.println("| mode | journal bytes after the reads | restart ms (median) | min | max | compaction ms (median) |");
        System.out.println("|---|---|---|---|---|---|");
        for (String mode : List.of("main", "restricted", "unflagged", "upkeep")) {
            if (!only.equals("all") && !only.equals(mode)) {
                continue;
            }
            List<Long> restart = new ArrayList<>();
            List<Long> compaction = new ArrayList<>();
            long journal = 0;
            for (int r = 0; r < runs; r++) {
                long[] m = run(mode, rows, reads, roll);
                journal = m[0];
                restart.add(m[1]);
                compaction.add(m[2]);
            }
            System.out.printf(Locale.ROOT, "| %s | %,d | %d | %d | %d | %s |%n", mode, journal, median(restart),
                    restart.stream().min(Long::compare).orElseThrow(), restart.stream().max(Long::compare).orElseThrow(),
                    mode.equals("main") ? "-" : Long.toString(median(compaction)));
        }
        System.out.printf(Locale.ROOT, "load after: %s%n", load());
    }

    /** One run: journal bytes after the reads, restart ms, compaction ms. */
    private static long[] run(String mode, int rows, int reads, long roll) throws Exception {
        Path data = Files.createTempDirectory("rfc-restart-bench");
        try {
            Path base = data.resolve("engine");
            if (mode.equals("main")) {
                ServerOptions options = ServerOptions.onPort(NativeServer.freePort()).bind("127.0.0.1").journal(base, false);
                NativeServer engine = NativeServer.start(EngineBinary.locate(), options);
                try (TCPClient c = new TCPClient(engine.host(), engine.port(), ClientOptions.DEFAULT)) {
                    c.execute("(.sys.build)");
                    load(c, rows);
                    serve(c, reads, false);
                }
                long bytes = journalBytes(data);
                engine.kill();
                long t0 = System.nanoTime();
                NativeServer again = NativeServer.start(EngineBinary.locate(), options);
                try (TCPClient c = new TCPClient(again.host(), again.port(), ClientOptions.DEFAULT)) {
                    c.execute("(.sys.build)");
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    check(c, rows);
                    return new long[] {bytes, ms, 0};
                } finally {
                    again.kill();
                }
            }
            SupervisorSettings settings = SupervisorSettings.DEFAULTS.withJournalRoll(roll)
                    .withHealth(mode.equals("upkeep") ? Duration.ofSeconds(1) : Duration.ofHours(1), Duration.ofSeconds(2),
                            Duration.ofHours(2));
            int port = NativeServer.freePort();
            EngineSupervisor s = new EngineSupervisor(null, ServerOptions.onPort(port).bind("127.0.0.1"), data, settings);
            s.start();
            long bytes;
            try {
                load(s.client(), rows);
                serve(s.client(), reads, mode.equals("restricted") || mode.equals("upkeep"));
                if (mode.equals("upkeep")) {
                    Thread.sleep(3000); // a last health check, and its upkeep
                }
                bytes = journalBytes(data);
            } finally {
                s.close(); // SIGTERM: the engine has no handler and exits at once, as in a crash
            }
            long t0 = System.nanoTime();
            EngineSupervisor again = new EngineSupervisor(null, ServerOptions.onPort(port).bind("127.0.0.1"), data, settings);
            again.start();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            try {
                check(again.client(), rows);
                return new long[] {bytes, ms, again.lastCompaction().millis()};
            } finally {
                again.close();
            }
        } finally {
            delete(data);
        }
    }

    /** The table, written as the router writes rows: value-form inserts of 10,000-row pages. */
    private static void load(TCPClient c, int rows) {
        c.execute("(count (set t__0 (table [id sym px ts] (list (as 'I64 []) (as 'SYMBOL []) (as 'F64 []) (as 'TIMESTAMP [])))))");
        for (int start = 0; start < rows; start += 10_000) {
            int n = Math.min(10_000, rows - start);
            RayTable page = (RayTable) c.executeReadOnly("(table [id sym px ts] (list (+ " + start + " (til " + n + ")) "
                    + "(take [aapl msft goog ibm] " + n + ") (* 1.5 (til " + n + ")) (+ 2024.01.01D00:00:00.000000000 (til " + n + "))))");
            c.execute(RayList.of(Name.of("insert"), Symbol.of("t__0"), page));
        }
    }

    /** Point selects on the shard, as a router sends a shard unit (a value-form expression). */
    private static void serve(TCPClient c, int reads, boolean restricted) {
        for (int i = 0; i < reads; i++) {
            RayValue q = RayfallReader.read("(select {from: t__0 where: (== id " + (i * 7919 % 100_000) + ")})");
            if (restricted) {
                c.executeReadOnly(q);
            } else {
                c.execute(q);
            }
        }
    }

    private static void check(TCPClient c, int rows) {
        long n = ((I64Atom) c.execute("(count t__0)")).value();
        if (n != rows) {
            throw new IllegalStateException("the table came back with " + n + " rows, not " + rows);
        }
    }

    /** Every journal file of the data directory: the live journal, archives and segments. */
    private static long journalBytes(Path data) throws IOException {
        try (Stream<Path> files = Files.list(data)) {
            return files.filter(p -> {
                String n = p.getFileName().toString();
                return n.endsWith(".log") || n.endsWith(".seg");
            }).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        }
    }

    private static long median(List<Long> xs) {
        List<Long> s = new ArrayList<>(xs);
        s.sort(Long::compare);
        return s.get(s.size() / 2);
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static int intArg(String[] args, String name, int def) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return def;
    }

    private static String stringArg(String[] args, String name, String def) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return def;
    }
}
