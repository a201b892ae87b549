package io.rayforce.cluster.router.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Parquet file of several row groups read by several threads gives what one thread reads, in the same order. */
class ParallelParquetTest {
    @TempDir
    Path dir;

    /** Every chunk's rows as text and its first and last row numbers. */
    private static List<String> readAll(Path f, int chunkRows, int parsers, List<long[]> spans) throws IOException {
        List<String> rows = new ArrayList<>();
        try (ParquetSource src = new ParquetSource(f, "t.parquet", chunkRows, parsers)) {
            src.start(src.fileTypes());
            for (Chunk c = src.next(); c != null; c = src.next()) {
                spans.add(new long[] {c.firstLine(), c.lastLine()});
                assertThat(c.lastLine() - c.firstLine() + 1).isEqualTo(c.rows().rowCount());
                for (int r = 0; r < c.rows().rowCount(); r++) {
                    StringBuilder b = new StringBuilder();
                    for (int col = 0; col < c.rows().columns().size(); col++) {
                        b.append(c.rows().column(col).at(r)).append('|');
                    }
                    rows.add(b.toString());
                }
            }
            assertThat(src.bytesRead()).isEqualTo(src.bytesTotal());
        }
        return rows;
    }

    @Test
    void rowGroupsReadAtOnceComeInFileOrder() throws IOException {
        Path f = LoadTestFiles.tradesParquet(dir.resolve("t.parquet"), 40_000, 5);
        try (ParquetSource src = new ParquetSource(f, "t.parquet", 1_000, 1)) {
            assertThat(src.rowGroups()).as("the test needs several row groups").isGreaterThan(2);
        }
        List<long[]> oneSpans = new ArrayList<>();
        List<long[]> manySpans = new ArrayList<>();
        List<String> one = readAll(f, 3_000, 1, oneSpans);
        List<String> many = readAll(f, 3_000, 3, manySpans);
        assertThat(one).hasSize(40_000);
        assertThat(many).as("the same rows in the same order").isEqualTo(one);
        assertThat(manySpans).as("row numbers follow on from chunk to chunk").satisfies(spans -> {
            long next = 1;
            for (long[] s : spans) {
                assertThat(s[0]).isEqualTo(next);
                next = s[1] + 1;
            }
            assertThat(next).isEqualTo(40_001);
        });
        assertThat(manySpans.stream().map(s -> s[0]).toList()).isEqualTo(oneSpans.stream().map(s -> s[0]).toList());
    }
}
