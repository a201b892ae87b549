package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.TimestampVector;
import io.rayforce.cluster.router.merge.KWayMerge;
import io.rayforce.cluster.router.merge.Parts;
import io.rayforce.cluster.router.merge.RowOrder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Merge throughput: shard results (k parts of a table with i64, f64, i64, timestamp and
 * {@code __seq} columns, rows spread over the parts as hash sharding spreads them, each part in
 * row order) concatenated ({@link Parts}) and k-way merged by the router's {@link MergeSorted}
 * (by {@code __seq}, and by a sort key then {@code __seq}), in rows per second, against a plain
 * {@code System.arraycopy} of the same bytes. In the plan package to run the real operator. Run
 * with {@code scripts/bench merge [--rows N --runs N]}.
 */
public final class MergeBenchmark {
    private static final int BYTES_PER_ROW = 5 * 8;

    private MergeBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int rows = intArg(args, "--rows", 10_000_000);
        int runs = intArg(args, "--runs", 5);
        Path out = Path.of(stringArg(args, "--out", "router/target/bench/merge.md"));
        StringBuilder md = new StringBuilder("### Merge\n\n");
        md.append(String.format(Locale.ROOT, "%,d rows of 5 eight-byte columns (%d MB) split over k parts; best of %d runs; "
                + "%d cores, Java %s, load average %s. Rows per second (millions) and the share of a plain `System.arraycopy` "
                + "of the same bytes.%n%n",
                rows, (long) rows * BYTES_PER_ROW / 1_000_000, runs, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), loadAverage()));
        md.append("| k parts | arraycopy Mrows/s (GB/s) | concat Mrows/s | concat vs copy | merge by __seq Mrows/s | vs copy "
                + "| merge by px desc, __seq Mrows/s | vs copy | of which: k-way order alone Mrows/s | gather alone Mrows/s |\n"
                + "|---|---|---|---|---|---|---|---|---|---|\n");
        for (int k : new int[] {2, 8, 32}) {
            List<RayTable> parts = parts(rows, k);
            double copy = best(runs, () -> arraycopy(parts));
            double concat = best(runs, () -> new Parts(parts).all().rowCount());
            MergeSorted bySeq = new MergeSorted(null, List.of(), -1, null);
            double seq = best(runs, () -> bySeq.merge(parts).rowCount());
            MergeSorted byKey = new MergeSorted(null, List.of(new RowOrder.Key("px", true)), -1, null);
            double key = best(runs, () -> byKey.merge(parts).rowCount());
            check(bySeq.merge(parts), rows);
            Parts whole = new Parts(parts);
            double order = best(runs, () -> KWayMerge.merge(whole, RowOrder.of(whole.all(), List.of(), Hidden.SEQ), -1).length);
            int[] merged = KWayMerge.merge(whole, RowOrder.of(whole.all(), List.of(), Hidden.SEQ), -1);
            double gather = best(runs, () -> whole.all().gather(merged).rowCount());
            md.append(String.format(Locale.ROOT, "| %d | %.0f (%.2f) | %.0f | %.0f%% | %.1f | %.1f%% | %.1f | %.1f%% | %.1f | %.0f |%n", k,
                    rows / copy / 1e6, rows * (double) BYTES_PER_ROW / copy / 1e9, rows / concat / 1e6, 100 * copy / concat,
                    rows / seq / 1e6, 100 * copy / seq, rows / key / 1e6, 100 * copy / key, rows / order / 1e6,
                    rows / gather / 1e6));
        }
        md.append("\nconcat = `Parts` (one `Vector.concat` per column); merge = `MergeSorted.merge`: concat, k-way merge of "
                + "row numbers (a heap over the parts' current rows), one gather per output column.\n");
        System.out.println(md);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, md);
        System.out.println("(written to " + out + ")");
    }

    /** k parts: row i goes to a pseudo-random part, each part keeps its rows in order; px falls as i grows. */
    static List<RayTable> parts(int rows, int k) {
        SplittableRandom r = new SplittableRandom(42);
        int[] partOf = new int[rows];
        int[] sizes = new int[k];
        for (int i = 0; i < rows; i++) {
            partOf[i] = r.nextInt(k);
            sizes[partOf[i]]++;
        }
        long[][] id = new long[k][];
        double[][] px = new double[k][];
        long[][] qty = new long[k][];
        long[][] ts = new long[k][];
        long[][] seq = new long[k][];
        for (int p = 0; p < k; p++) {
            id[p] = new long[sizes[p]];
            px[p] = new double[sizes[p]];
            qty[p] = new long[sizes[p]];
            ts[p] = new long[sizes[p]];
            seq[p] = new long[sizes[p]];
        }
        int[] fill = new int[k];
        for (int i = 0; i < rows; i++) {
            int p = partOf[i];
            int j = fill[p]++;
            id[p][j] = i;
            px[p][j] = 1e6 - i * 0.01;
            qty[p][j] = i % 1000;
            ts[p][j] = 1_000_000_000L * i;
            seq[p][j] = i;
        }
        List<RayTable> out = new ArrayList<>();
        for (int p = 0; p < k; p++) {
            out.add(RayTable.builder().column("id", new I64Vector(id[p])).column("px", new F64Vector(px[p]))
                    .column("qty", new I64Vector(qty[p])).column("ts", new TimestampVector(ts[p]))
                    .column("__seq", new I64Vector(seq[p])).build());
        }
        return out;
    }

    /** The baseline: the parts' column arrays copied end to end into one array per column. */
    private static int arraycopy(List<RayTable> parts) {
        int total = parts.stream().mapToInt(RayTable::rowCount).sum();
        int n = 0;
        for (int c = 0; c < 5; c++) {
            long[] dst = new long[total];
            int pos = 0;
            for (RayTable t : parts) {
                long[] src = raw(t, c);
                System.arraycopy(src, 0, dst, pos, src.length);
                pos += src.length;
            }
            n += dst.length > 0 ? 1 : 0;
        }
        return n;
    }

    private static final java.util.Map<Object, long[]> RAW = new java.util.IdentityHashMap<>();

    /** Column {@code c} of {@code t} as a long[] (doubles by their bits), made once outside the timing. */
    private static long[] raw(RayTable t, int c) {
        return RAW.computeIfAbsent(t.column(c), v -> v instanceof F64Vector f
                ? Arrays.stream(f.toArray()).mapToLong(Double::doubleToRawLongBits).toArray()
                : ((io.rayforce.cluster.client.value.LongBackedVector) v).toArray());
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void check(RayTable merged, int rows) {
        I64Vector id = (I64Vector) merged.column("id");
        if (merged.rowCount() != rows || id.get(0) != 0 || id.get(rows - 1) != rows - 1) {
            throw new IllegalStateException("merge produced the wrong rows");
        }
    }

    /** The best time in seconds of {@code runs} runs (after one warm-up). */
    private static double best(int runs, java.util.function.IntSupplier work) {
        work.getAsInt();
        double best = Double.MAX_VALUE;
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            work.getAsInt();
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return best;
    }

    private static int intArg(String[] args, String name, int dflt) {
        String v = stringArg(args, name, null);
        return v == null ? dflt : Integer.parseInt(v.replace("_", ""));
    }

    private static String stringArg(String[] args, String name, String dflt) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return dflt;
    }
}
