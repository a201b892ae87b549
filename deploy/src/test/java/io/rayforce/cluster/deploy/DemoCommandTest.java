package io.rayforce.cluster.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code rfc demo} on a small data set: the loads show their progress, every query's cluster answer is the single server's. */
class DemoCommandTest {

    @Test
    void everyDemoQueryMatchesOneServer() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        int exit;
        try (PrintStream p = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            System.setOut(p);
            exit = Rfc.commandLine().execute("demo", "--nodes", "2", "--replication", "2", "--trades", "30000",
                    "--quotes", "30000", "--runs", "1");
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(out).isZero();
        long answered = out.lines().filter(l -> l.contains("same answer as one server: yes")).count();
        assertThat(answered).as(out).isEqualTo(DemoCommand.queries().size());
        assertThat(out).as("the loads' progress").contains("loading trades: 100%", "30,000 / 30,000 rows", "rows/s",
                "loaded 30,000 rows into trades in", "loaded 30,000 rows into quotes in", "loaded 100 rows into instruments in");
        assertThat(out).doesNotContain("same answer as one server: NO").contains("== summary", "ipcsave", "asof join",
                "window join", "left join", "inner join", "group-by");
    }
}
