package io.rayforce.cluster.router.testing;

import io.rayforce.cluster.client.value.DateVector;
import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Nulls;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.StringVector;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.Temporals;
import io.rayforce.cluster.client.value.TimestampVector;
import java.util.SplittableRandom;

/** Seeded trade rows with skewed symbols and nulls in every nullable column. */
public final class TradeData {
    public static final String[] COLUMNS = {"id:i64", "sym:symbol", "side:symbol", "px:f64", "qty:i64", "ts:timestamp",
        "d:date", "note:string"};
    private static final String[] SYMS = {"AAPL", "MSFT", "GOOG", "IBM", "AMZN", "META", "NVDA", "TSLA", "ORCL", "INTC",
        "A", "BRK.B", ""};

    private TradeData() {
    }

    /**
     * The differential tests' cluster: 3 nodes holding {@code trades} (by sym, 7 shards, 2
     * replicas), {@code one} (1 shard), {@code wide} (by id, 4 shards) and {@code empty} (4
     * shards, no rows), each loaded in the same batches as its oracle table.
     */
    public static LocalShards differentialCluster() {
        LocalShards cluster = new LocalShards(3);
        cluster.createTable("trades", "sym", 7, 2, COLUMNS);
        cluster.createTable("one", "id", 1, 1, COLUMNS);
        cluster.createTable("wide", "id", 4, 1, COLUMNS);
        cluster.createTable("empty", "sym", 4, 1, COLUMNS);
        for (int batch = 0; batch < 4; batch++) {
            cluster.insert("trades", rows(batch, batch * 500, 500));
            cluster.insert("wide", rows(100 + batch, batch * 300, 300));
        }
        cluster.insert("one", rows(7, 0, 50));
        return cluster;
    }

    public static RayTable rows(long seed, int firstId, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        long[] id = new long[n];
        String[] sym = new String[n];
        String[] side = new String[n];
        double[] px = new double[n];
        long[] qty = new long[n];
        long[] ts = new long[n];
        int[] d = new int[n];
        String[] note = new String[n];
        long t0 = Temporals.nanos(java.time.Instant.parse("2024-01-15T09:30:00Z"));
        for (int i = 0; i < n; i++) {
            id[i] = firstId + i;
            // skewed: the first symbols are far more common
            int k = (int) Math.min(SYMS.length - 1, Math.floor(Math.pow(r.nextDouble(), 2.5) * SYMS.length));
            sym[i] = SYMS[k];
            side[i] = r.nextBoolean() ? "buy" : "sell";
            px[i] = r.nextInt(20) == 0 ? Nulls.F64 : Math.round(r.nextDouble() * 10_000) / 100.0;
            qty[i] = r.nextInt(25) == 0 ? Nulls.I64 : 1 + r.nextInt(1000);
            ts[i] = r.nextInt(30) == 0 ? Nulls.I64 : t0 + r.nextLong(8L * 3600 * 1_000_000_000L);
            d[i] = 8780 + r.nextInt(5);
            note[i] = r.nextInt(10) == 0 ? "" : "n" + r.nextInt(50);
        }
        return RayTable.builder().column("id", new I64Vector(id)).column("sym", new SymbolVector(sym))
                .column("side", new SymbolVector(side)).column("px", new F64Vector(px)).column("qty", new I64Vector(qty))
                .column("ts", new TimestampVector(ts)).column("d", new DateVector(d)).column("note", new StringVector(note))
                .build();
    }
}
