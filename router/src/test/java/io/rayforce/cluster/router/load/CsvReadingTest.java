package io.rayforce.cluster.router.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.client.value.DateVector;
import io.rayforce.cluster.client.value.I32Vector;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Nulls;
import io.rayforce.cluster.client.value.RayType;
import io.rayforce.cluster.client.value.StringVector;
import io.rayforce.cluster.client.value.Temporals;
import io.rayforce.cluster.client.value.TimestampVector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading CSV without a cluster: field parsing, the sample the engine infers types from, chunks and bad rows. */
class CsvReadingTest {
    @TempDir
    Path dir;

    private static String add(ColumnParser p, String field) {
        return p.add(field.toCharArray(), 0, field.length());
    }

    @Test
    void fieldsParseAsTheEngineReadsThem() {
        ColumnParser ts = ColumnParser.of(RayType.TIMESTAMP, 4);
        assertThat(add(ts, "2024-01-15T09:30:00.000000001")).isNull();
        assertThat(add(ts, "2024-01-15 09:30:00.5Z")).isNull();
        assertThat(add(ts, "NA")).isNull();
        assertThat(add(ts, "2024-13-01T00:00:00")).contains("not a timestamp");
        TimestampVector t = (TimestampVector) ts.build();
        assertThat(t.instant(0)).isEqualTo(Instant.parse("2024-01-15T09:30:00.000000001Z"));
        assertThat(t.instant(1)).isEqualTo(Instant.parse("2024-01-15T09:30:00.5Z"));
        assertThat(t.get(2)).isEqualTo(Nulls.I64);

        ColumnParser i32 = ColumnParser.of(RayType.I32, 1);
        assertThat(add(i32, "2147483647")).isNull();
        assertThat(add(i32, "2147483648")).contains("not a i32");
        assertThat(add(i32, "-12")).isNull();
        assertThat(((I32Vector) i32.build()).get(1)).isEqualTo(-12);

        ColumnParser d = ColumnParser.of(RayType.DATE, 1);
        assertThat(add(d, "2000-01-01")).isNull();
        assertThat(add(d, "1999-12-31")).isNull();
        assertThat(add(d, "2024-02-29")).isNull();
        DateVector dates = (DateVector) d.build();
        assertThat(dates.get(0)).isZero();
        assertThat(dates.get(1)).isEqualTo(-1);
        assertThat(dates.get(2)).isEqualTo(Temporals.days(LocalDate.of(2024, 2, 29)));

        ColumnParser i64 = ColumnParser.of(RayType.I64, 1);
        assertThat(add(i64, "1.5")).contains("not an i64");
        assertThat(add(i64, "99999999999999999999")).contains("not an i64");
        assertThat(add(i64, "-9223372036854775807")).isNull();

        ColumnParser f64 = ColumnParser.of(RayType.F64, 1);
        assertThat(add(f64, "1e3")).isNull();
        assertThat(add(f64, "-inf")).isNull();
        assertThat(add(f64, "0x10")).contains("not a number");
        assertThat(add(f64, "1.5f")).contains("not a number");
    }

    @Test
    void theSampleSpansTheFileAndKeepsQuotedLineBreaks() throws IOException {
        StringBuilder b = new StringBuilder("a,b\n");
        for (int i = 0; i < 10_000; i++) {
            b.append(i).append(i == 5000 ? ",\"two\nlines\"" : ",x").append('\n');
        }
        b.append("10000,last");
        Path f = dir.resolve("s.csv");
        Files.writeString(f, b);
        CsvSample.Lines s = CsvSample.of(f, true);
        assertThat(s.header()).isEqualTo("a,b");
        assertThat(s.dataRows()).as("a quoted line break is not a row").isEqualTo(10_001);
        assertThat(s.rows()).hasSize(CsvSample.ROWS);
        assertThat(s.rows().get(0)).isEqualTo("0,x");
        assertThat(s.rows().get(CsvSample.ROWS - 1)).as("the last row is in the sample").isEqualTo("10000,last");
    }

    @Test
    void chunksFollowTheFileAndBadRowsNameTheirLines() throws IOException {
        Path f = dir.resolve("c.csv");
        Files.writeString(f, "id,name\r\n1,a\r\n2,\"b,c\"\r\n\r\n3,d\r\nx,e\r\n4,f\r\n");
        try (CsvSource src = new CsvSource(f, "c.csv", true, (char) 0, true, 2)) {
            assertThat(src.columnNames()).containsExactly("id", "name");
            assertThat(src.fileTypes()).as("'x' among the ids makes them text").containsExactly(RayType.SYMBOL, RayType.SYMBOL);
            src.start(List.of(RayType.I64, RayType.STRING));
            Chunk c1 = src.next();
            assertThat(((I64Vector) c1.rows().column(0)).get(1)).isEqualTo(2);
            assertThat(((StringVector) c1.rows().column(1)).get(1)).isEqualTo("b,c");
            Chunk c2 = src.next();
            assertThat(c2.rows().rowCount()).isEqualTo(2);
            assertThat(c2.skipped()).containsExactly(new BadRow("c.csv", 6, "field 1 'x' is not an i64 (a whole number of at "
                    + "most 19 digits)"));
            assertThat(((I64Vector) c2.rows().column(0)).get(1)).isEqualTo(4);
            assertThat(src.next()).isNull();
        }
        try (CsvSource src = new CsvSource(f, "c.csv", true, (char) 0, false, 2)) {
            src.start(List.of(RayType.I64, RayType.STRING));
            src.next();
            assertThatThrownBy(src::next).isInstanceOf(BadRowError.class).hasMessageContaining("c.csv:6");
        }
    }

    /** All of a source's chunks: their rows' values as text, row by row, and the bad rows they skipped. */
    private static List<String> readAll(Path f, int chunkRows, int parsers, List<BadRow> skipped, List<Integer> sizes)
            throws IOException {
        List<String> rows = new java.util.ArrayList<>();
        try (CsvSource src = new CsvSource(f, "p.csv", true, (char) 0, true, chunkRows, parsers)) {
            src.start(List.of(RayType.I64, RayType.SYMBOL, RayType.F64));
            for (Chunk c = src.next(); c != null; c = src.next()) {
                sizes.add(c.rows().rowCount());
                skipped.addAll(c.skipped());
                for (int r = 0; r < c.rows().rowCount(); r++) {
                    StringBuilder b = new StringBuilder();
                    for (int col = 0; col < 3; col++) {
                        b.append(c.rows().column(col).at(r)).append('|');
                    }
                    rows.add(b.toString());
                }
            }
            assertThat(src.bytesRead()).isEqualTo(Files.size(f));
        }
        return rows;
    }

    @Test
    void aFileWithoutQuotesIsParsedInBlocksBySeveralThreadsWithTheSameRowsAndLines() throws IOException {
        Path f = dir.resolve("p.csv");
        StringBuilder text = new StringBuilder("id,sym,px\n");
        java.util.Random rnd = new java.util.Random(11);
        for (int i = 0; i < 5_000; i++) {
            switch (rnd.nextInt(40)) {
                case 0 -> text.append('\n'); // an empty line: skipped, but counted in the line numbers
                case 1 -> text.append("x").append(i).append(",S,1.5\n"); // a bad row
                case 2 -> text.append(i).append(",S").append(i % 7).append(",2.5\r\n"); // a carriage return
                default -> text.append(i).append(",S").append(i % 13).append(',').append(i % 5 == 0 ? "" : i * 0.25).append('\n');
            }
        }
        text.append("5000,END,9.75"); // no line feed at the end
        Files.writeString(f, text);

        List<BadRow> oneBad = new java.util.ArrayList<>();
        List<BadRow> manyBad = new java.util.ArrayList<>();
        List<Integer> oneSizes = new java.util.ArrayList<>();
        List<Integer> manySizes = new java.util.ArrayList<>();
        List<String> one = readAll(f, 100, 1, oneBad, oneSizes);
        List<String> many = readAll(f, 100, 3, manyBad, manySizes);
        assertThat(many).as("the same rows in the same order").isEqualTo(one);
        assertThat(manyBad).as("the same bad rows, naming the same lines").isEqualTo(oneBad).isNotEmpty();
        assertThat(oneSizes).as("one thread: chunks of 100 rows").allMatch(n -> n <= 100);
        assertThat(manySizes).as("blocks of 96 rows (100 rounded down to the noted row starts)").hasSizeGreaterThan(50)
                .allMatch(n -> n <= 96);
        assertThat(one.get(one.size() - 1)).startsWith("5000|'END|");

        // without skipping, both refuse the load at the first bad row, named by its line
        String first = null;
        for (int parsers : new int[] {1, 3}) {
            try (CsvSource src = new CsvSource(f, "p.csv", true, (char) 0, false, 100, parsers)) {
                src.start(List.of(RayType.I64, RayType.SYMBOL, RayType.F64));
                String msg = null;
                try {
                    while (src.next() != null) {
                        // reads until the bad row
                    }
                } catch (BadRowError e) {
                    msg = e.getMessage();
                }
                assertThat(msg).contains("p.csv:" + oneBad.get(0).line());
                first = first == null ? msg : first;
                assertThat(msg).isEqualTo(first);
            }
        }
    }

    @Test
    void aFileWithCarriageReturnsAloneIsReadByOneThreadAndBadRowsKeepTheirLines() throws IOException {
        Path f = dir.resolve("p.csv");
        StringBuilder text = new StringBuilder("id,sym,px\n");
        for (int i = 0; i < 2_000; i++) {
            // every tenth line ends with a carriage return alone, which a reader counts as a line end
            text.append(i % 97 == 5 ? "x" : "").append(i).append(",S,1.5").append(i % 10 == 3 ? "\r" : "\n");
        }
        Files.writeString(f, text);
        List<BadRow> oneBad = new java.util.ArrayList<>();
        List<BadRow> manyBad = new java.util.ArrayList<>();
        List<String> one = readAll(f, 64, 1, oneBad, new java.util.ArrayList<>());
        List<String> many = readAll(f, 64, 3, manyBad, new java.util.ArrayList<>());
        assertThat(many).isEqualTo(one).hasSize(2_000 - 21);
        assertThat(manyBad).isEqualTo(oneBad).hasSize(21);
    }

    @Test
    void aFileWithQuotesIsReadByOneThread() throws IOException {
        Path f = dir.resolve("q.csv");
        StringBuilder text = new StringBuilder("id,name\n");
        for (int i = 0; i < 1_000; i++) {
            text.append(i).append(i % 97 == 0 ? ",\"two\nlines\"\n" : ",n" + i + "\n");
        }
        Files.writeString(f, text);
        for (int parsers : new int[] {1, 4}) {
            try (CsvSource src = new CsvSource(f, "q.csv", true, (char) 0, false, 50, parsers)) {
                src.start(List.of(RayType.I64, RayType.STRING));
                long rows = 0;
                for (Chunk c = src.next(); c != null; c = src.next()) {
                    StringVector names = (StringVector) c.rows().column(1);
                    for (int r = 0; r < c.rows().rowCount(); r++) {
                        long id = ((I64Vector) c.rows().column(0)).get(r);
                        assertThat(names.get(r)).isEqualTo(id % 97 == 0 ? "two\nlines" : "n" + id);
                    }
                    assertThat(c.rows().rowCount()).isLessThanOrEqualTo(50);
                    rows += c.rows().rowCount();
                }
                assertThat(rows).isEqualTo(1_000);
            }
        }
    }

    @Test
    void theLoadDirectoryKeepsPathsInside() throws IOException {
        Path root = Files.createDirectories(dir.resolve("load"));
        Files.writeString(root.resolve("ok.csv"), "a\n1\n");
        LoadDirectory d = LoadDirectory.of(root);
        assertThat(d.resolve("ok.csv")).isEqualTo(root.toRealPath().resolve("ok.csv"));
        assertThat(d.resolve("./sub/../ok.csv")).isEqualTo(root.toRealPath().resolve("ok.csv"));
        assertThatThrownBy(() -> d.resolve("../x.csv")).isInstanceOf(LoadDirectory.Refused.class);
        assertThatThrownBy(() -> d.resolve("")).isInstanceOf(LoadDirectory.Refused.class);
        assertThatThrownBy(() -> d.resolve("a\0b")).isInstanceOf(LoadDirectory.Refused.class);
    }
}
