package io.rayforce.cluster.router.testing;

import io.rayforce.cluster.client.query.Table;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.router.ClusterClient;
import io.rayforce.cluster.router.ZooKeeperPlacement;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A router ({@link ClusterClient}) in its own JVM, for tests that kill a router for real:
 * {@code RouterProcessMain zk=HOST:PORT cluster=NAME session=MS}. Prints {@code READY} once it sees
 * the cluster's nodes, then runs one command per line of standard input, printing
 * {@code STARTED <line>} before and {@code DONE <answer>} or {@code FAILED <message>} after:
 * <pre>
 * exec &lt;rayfall&gt;              any request
 * insert &lt;table&gt; &lt;from&gt; &lt;n&gt;   rows id = from..from+n-1, sym = {@link #sym}(id), v = 3 id
 * reads &lt;table&gt;                 from now on a thread reads the table over and over (as a gateway's
 *                                 other clients would), so this router holds its read lease
 * </pre>
 * It exits when its standard input closes (the test JVM died).
 */
public final class RouterProcessMain {
    private static final String[] SYMS = {"A", "B", "C", "D", "E", "F", "G"};

    private RouterProcessMain() {
    }

    /** The symbol of row {@code id} in the rows {@code insert} makes. */
    public static String sym(long id) {
        return SYMS[(int) (id % SYMS.length)];
    }

    /** The rows {@code insert <table> <from> <n>} appends. */
    public static RayTable rows(long from, int n) {
        long[] id = new long[n];
        String[] sym = new String[n];
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            id[i] = from + i;
            sym[i] = sym(id[i]);
            v[i] = 3 * id[i];
        }
        return RayTable.builder().column("id", new I64Vector(id)).column("sym", new SymbolVector(sym))
                .column("v", new I64Vector(v)).build();
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        ZooKeeperPlacement placement = ZooKeeperPlacement.connect(a.get("zk"), a.get("cluster"),
                Duration.ofMillis(Long.parseLong(a.getOrDefault("session", "2000"))));
        ClusterClient client = new ClusterClient(placement);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (placement.snapshot().nodes().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        System.out.println("READY " + placement.routerId());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            System.out.println("STARTED " + line);
            System.out.flush();
            try {
                RayValue answer;
                if (line.startsWith("reads ")) {
                    String table = line.substring("reads ".length());
                    Thread reader = new Thread(() -> {
                        while (true) {
                            try {
                                client.execute("(count " + table + ")");
                            } catch (RuntimeException e) {
                                // waits behind writes; keep reading
                            }
                        }
                    }, "reads-" + table);
                    reader.setDaemon(true);
                    reader.start();
                    answer = io.rayforce.cluster.client.value.Symbol.of(table);
                } else if (line.startsWith("insert ")) {
                    String[] p = line.split(" ");
                    answer = client.execute(Table.of(p[1]).insert(rows(Long.parseLong(p[2]), Integer.parseInt(p[3]))));
                } else {
                    answer = client.execute(line.substring("exec ".length()));
                }
                System.out.println("DONE " + answer.toString().replace('\n', ' '));
            } catch (RuntimeException e) {
                System.out.println("FAILED " + String.valueOf(e.getMessage()).replace('\n', ' '));
            }
            System.out.flush();
        }
        System.exit(0);
    }
}
