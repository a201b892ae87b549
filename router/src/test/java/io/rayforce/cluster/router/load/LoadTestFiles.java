package io.rayforce.cluster.router.load;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Files for the load tests and the load benchmark, generated from a seed: trades with an id,
 * a symbol (200 of them, a few far more common), a price with two decimals, a quantity, a
 * timestamp in nanoseconds, a date, a flag and a time of day, as CSV the way the engine writes
 * it ({@code .csv.write}: ISO dates and timestamps).
 */
public final class LoadTestFiles {
    /** The columns of {@link #trades} and their types as the engine infers them. */
    public static final String HEADER = "id,sym,px,qty,ts,d,flag,t";
    public static final String TYPES = "i64 symbol f64 i64 timestamp date b8 time";

    private LoadTestFiles() {
    }

    /** Writes {@code rows} trades to {@code file}; answers the file. */
    public static Path trades(Path file, long rows, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        long ts = 1_705_311_000_000_000_000L; // 2024-01-15T09:30:00Z in Unix nanoseconds
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(HEADER);
            w.write('\n');
            StringBuilder b = new StringBuilder(128);
            for (long i = 0; i < rows; i++) {
                b.setLength(0);
                int sym = (int) Math.min(199, Math.floor(Math.pow(r.nextDouble(), 2.5) * 200));
                long cents = 1_000 + r.nextLong(50_000);
                ts += 1 + r.nextLong(2_000_000);
                b.append(i).append(',').append('S').append(sym).append(',');
                b.append(cents / 100).append('.').append(cents % 100 < 10 ? "0" : "").append(cents % 100).append(',');
                b.append(1 + r.nextInt(1000)).append(',');
                appendTimestamp(b, ts).append(',');
                appendDate(b, Math.floorDiv(ts, 86_400_000_000_000L) + r.nextInt(3)).append(',');
                b.append(r.nextInt(4) == 0 ? "true" : "false").append(',');
                appendTime(b, r.nextInt(86_400_000));
                b.append('\n');
                w.append(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /**
     * Writes {@code rows} trades to a Parquet file with Apache Parquet's writer (Snappy, dictionary
     * encoding): id, sym (optional text, a tenth of the rows without one), px, ts (nanoseconds,
     * optional), d (a date), flag, n (an optional 32-bit integer), f (a float).
     */
    public static Path tradesParquet(Path file, int rows, long seed) {
        MessageType schema = MessageTypeParser.parseMessageType("message trades { required int64 id; optional binary sym (STRING); "
                + "required double px; optional int64 ts (TIMESTAMP(NANOS,true)); required int32 d (DATE); required boolean flag; "
                + "optional int32 n; required float f; }");
        SplittableRandom r = new SplittableRandom(seed);
        try {
            Files.deleteIfExists(file);
            try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(file)).withType(schema)
                    .withConf(new PlainParquetConfiguration()).withCompressionCodec(CompressionCodecName.SNAPPY)
                    .withRowGroupSize(256L * 1024).build()) {
                SimpleGroupFactory groups = new SimpleGroupFactory(schema);
                long ts = 1_705_311_000_000_000_000L;
                for (int i = 0; i < rows; i++) {
                    Group g = groups.newGroup().append("id", (long) i).append("px", (1000 + r.nextInt(50_000)) / 100.0);
                    if (r.nextInt(10) != 0) {
                        g.append("sym", "S" + r.nextInt(150));
                    }
                    ts += 1 + r.nextLong(2_000_000_000L);
                    if (i % 97 != 0) {
                        g.append("ts", ts);
                    }
                    g.append("d", 19_000 + r.nextInt(400)).append("flag", r.nextBoolean());
                    if (r.nextInt(5) != 0) {
                        g.append("n", r.nextInt() / 3);
                    }
                    g.append("f", r.nextFloat() * 100);
                    w.write(g);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    static StringBuilder appendTimestamp(StringBuilder b, long unixNanos) {
        long days = Math.floorDiv(unixNanos, 86_400_000_000_000L);
        long nanosOfDay = unixNanos - days * 86_400_000_000_000L;
        appendDate(b, days).append('T');
        long secs = nanosOfDay / 1_000_000_000L;
        two(b, (int) (secs / 3600)).append(':');
        two(b, (int) (secs / 60 % 60)).append(':');
        two(b, (int) (secs % 60)).append('.');
        String frac = Long.toString(nanosOfDay % 1_000_000_000L);
        for (int i = frac.length(); i < 9; i++) {
            b.append('0');
        }
        return b.append(frac);
    }

    static StringBuilder appendDate(StringBuilder b, long unixDays) {
        java.time.LocalDate d = java.time.LocalDate.ofEpochDay(unixDays);
        b.append(d.getYear()).append('-');
        two(b, d.getMonthValue()).append('-');
        return two(b, d.getDayOfMonth());
    }

    static StringBuilder appendTime(StringBuilder b, int millis) {
        two(b, millis / 3_600_000).append(':');
        two(b, millis / 60_000 % 60).append(':');
        two(b, millis / 1000 % 60).append('.');
        int ms = millis % 1000;
        return b.append(ms < 100 ? "0" : "").append(ms < 10 ? "0" : "").append(ms);
    }

    private static StringBuilder two(StringBuilder b, int v) {
        return b.append(v < 10 ? "0" : "").append(v);
    }
}
