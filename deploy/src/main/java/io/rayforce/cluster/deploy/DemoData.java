package io.rayforce.cluster.deploy;

import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.Temporals;
import io.rayforce.cluster.client.value.TimestampVector;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * The demo's data set, generated from a fixed seed: trades and quotes over one trading day for
 * 100 symbols with a skewed popularity (a few symbols trade far more than the rest), in time
 * order, and a small instruments table (sector and lot size per symbol).
 */
final class DemoData {
    static final int SYMBOLS = 100;
    private static final String[] TICKERS = {"AAPL", "MSFT", "NVDA", "AMZN", "GOOG", "META", "TSLA", "AVGO", "JPM", "V",
        "XOM", "UNH", "MA", "HD", "PG", "COST", "JNJ", "ABBV", "BAC", "KO", "ORCL", "CRM", "NFLX", "AMD", "PEP", "TMO",
        "ADBE", "WMT", "CSCO", "INTC", "IBM", "QCOM", "TXN", "DIS", "MCD", "NKE", "GS", "MS", "CAT", "BA"};
    private static final String[] SECTORS = {"tech", "finance", "health", "energy", "consumer", "industrial"};
    private static final long DAY_START = Temporals.nanos(Instant.parse("2024-01-15T14:30:00Z"));
    private static final long DAY_NANOS = 6L * 3600 + 1800;

    private DemoData() {
    }

    static String symbol(int i) {
        return i < TICKERS.length ? TICKERS[i] : String.format("S%03d", i);
    }

    /** A symbol index, skewed: low indexes are far more common. */
    private static int skewed(SplittableRandom r) {
        return (int) Math.min(SYMBOLS - 1, Math.floor(Math.pow(r.nextDouble(), 2.2) * SYMBOLS));
    }

    private static double basePrice(int sym) {
        return 20 + (sym * 37 % 480);
    }

    /** {@code n} trades: sym, side, px, qty, ts, in time order. */
    static RayTable trades(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        String[] sym = new String[n];
        String[] side = new String[n];
        double[] px = new double[n];
        long[] qty = new long[n];
        long[] ts = times(n, r);
        for (int i = 0; i < n; i++) {
            int s = skewed(r);
            sym[i] = symbol(s);
            side[i] = r.nextBoolean() ? "buy" : "sell";
            px[i] = Math.round(basePrice(s) * (1 + (r.nextDouble() - 0.5) * 0.04) * 100) / 100.0;
            qty[i] = 1 + r.nextInt(1000);
        }
        return RayTable.builder().column("sym", new SymbolVector(sym)).column("side", new SymbolVector(side))
                .column("px", new F64Vector(px)).column("qty", new I64Vector(qty)).column("ts", new TimestampVector(ts)).build();
    }

    /** {@code n} quotes: sym, ts, bid, ask, in time order. */
    static RayTable quotes(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        String[] sym = new String[n];
        double[] bid = new double[n];
        double[] ask = new double[n];
        long[] ts = times(n, r);
        for (int i = 0; i < n; i++) {
            int s = skewed(r);
            sym[i] = symbol(s);
            double mid = basePrice(s) * (1 + (r.nextDouble() - 0.5) * 0.04);
            bid[i] = Math.round((mid - 0.01) * 100) / 100.0;
            ask[i] = Math.round((mid + 0.01) * 100) / 100.0;
        }
        return RayTable.builder().column("sym", new SymbolVector(sym)).column("ts", new TimestampVector(ts))
                .column("bid", new F64Vector(bid)).column("ask", new F64Vector(ask)).build();
    }

    /** One row per symbol: sector and lot size. */
    static RayTable instruments() {
        String[] sym = new String[SYMBOLS];
        String[] sector = new String[SYMBOLS];
        long[] lot = new long[SYMBOLS];
        for (int i = 0; i < SYMBOLS; i++) {
            sym[i] = symbol(i);
            sector[i] = SECTORS[i % SECTORS.length];
            lot[i] = i % 3 == 0 ? 100 : 10;
        }
        return RayTable.builder().column("sym", new SymbolVector(sym)).column("sector", new SymbolVector(sector))
                .column("lot", new I64Vector(lot)).build();
    }

    /** {@code n} ascending timestamps spread over the trading day. */
    private static long[] times(int n, SplittableRandom r) {
        long[] ts = new long[n];
        long step = DAY_NANOS * 1_000_000_000L / Math.max(1, n);
        long t = DAY_START;
        for (int i = 0; i < n; i++) {
            t += 1 + r.nextLong(Math.max(1, 2 * step));
            ts[i] = t;
        }
        return ts;
    }
}
