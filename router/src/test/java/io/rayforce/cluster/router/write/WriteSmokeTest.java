package io.rayforce.cluster.router.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.router.testing.SameAnswer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WriteSmokeTest {
    WriteCluster c;

    @BeforeAll
    void start() {
        c = new WriteCluster(3);
    }

    @AfterAll
    void stop() {
        c.close();
    }

    @Test
    void createInsertSelect() {
        String schema = "(table [id sym px] (list (as 'I64 []) (as 'SYM []) (as 'F64 [])))";
        assertThat(c.client.execute("(.cluster.create 't " + schema + " 'sym 4 2)")).isEqualTo(Symbol.of("t"));
        c.oracle.execute("(set t " + schema + ")");
        for (String q : new String[] {"(insert 't (list 1 'a 1.5))", "(insert 't (list [2 3 4] [b c a] [2.0 3.0 4.0]))",
            "(insert 't {id: 5 sym: 'd px: 5.0})", "(upsert 't 2 (list [1 9] [a z] [10.0 9.0]))",
            "(update {px: (* px 2) from: 't where: (> id 2)})", "(delete {from: 't where: (== sym 'c)})"}) {
            RayValue o = c.oracle.execute(q);
            RayValue a = c.client.execute(q);
            assertThat(a).as(q).isEqualTo(o);
            SameAnswer.assertSame(q + " then t", c.oracle.execute("t"), c.client.execute("t"));
        }
    }
}
