package io.rayforce.cluster.client.sql;

import static io.rayforce.cluster.client.testing.FuzzContract.valueOrClearError;
import static io.rayforce.cluster.client.testing.FuzzContract.withinTime;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.rayforce.cluster.client.rayfall.RayfallReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Fuzzes the SQL front end ({@link SQLQuery}: JSqlParser, then the translation to a query
 * object) with arbitrary text. Contract: within 20 s (JSqlParser's own parse timeout is
 * shorter), a query whose expression tree and Rayfall text can be made and read back, or a
 * {@link SqlException}, nothing else. Seeds: the SQL statements of the tests.
 */
class SqlFuzzTest {
    @FuzzTest
    void translatesOrRefuses(byte[] input) {
        String sql = new String(input, StandardCharsets.UTF_8);
        withinTime(Duration.ofSeconds(20), () -> {
            SQLQuery q = valueOrClearError(() -> SQLQuery.of(sql), SqlException.class);
            if (q != null) {
                q.ipc();
                RayfallReader.read(q.toString());
            }
        });
    }
}
