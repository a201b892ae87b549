package io.rayforce.cluster.router.gateway;

import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Nulls;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.Temporals;
import io.rayforce.cluster.client.value.TimestampVector;
import io.rayforce.cluster.router.testing.TradeData;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The differential oracle's corpus, shared by the gateway tests here and the real-cluster test
 * in deploy: the tables (trades and wide with nulls and skewed symbols, an empty table, quotes, a
 * replicated dimension), loaded in {@link #BATCHES} batches, and the queries.
 */
public final class GatewayCorpus {
    /** Batches of trades and wide rows, loaded in this order. */
    public static final int BATCHES = 3;

    private GatewayCorpus() {
    }

    /** Batch {@code b} of the trades table (400 rows). */
    public static RayTable trades(int b) {
        return TradeData.rows(b, b * 400, 400);
    }

    /** Batch {@code b} of the wide table (200 rows). */
    public static RayTable wide(int b) {
        return TradeData.rows(50 + b, b * 200, 200);
    }

    /** The dimension table: sector and lot per symbol, the empty symbol among them, a null lot. */
    public static RayTable dim() {
        return RayTable.builder().column("sym", SymbolVector.of("AAPL", "MSFT", "GOOG", "IBM", "AMZN", ""))
                .column("sector", SymbolVector.of("tech", "tech", "tech", "services", "retail", "none"))
                .column("lot", I64Vector.of(100, 100, 50, 10, 1, Nulls.I64)).build();
    }

    /** {@code n} quotes with some null bids. */
    public static RayTable quotes(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        String[] syms = {"AAPL", "MSFT", "GOOG", "IBM", "AMZN", "META", "NVDA"};
        String[] sym = new String[n];
        long[] ts = new long[n];
        double[] bid = new double[n];
        double[] ask = new double[n];
        long t0 = Temporals.nanos(java.time.Instant.parse("2024-01-15T09:30:00Z"));
        for (int i = 0; i < n; i++) {
            sym[i] = syms[r.nextInt(syms.length)];
            ts[i] = t0 + r.nextLong(8L * 3600 * 1_000_000_000L);
            bid[i] = r.nextInt(15) == 0 ? Nulls.F64 : Math.round(r.nextDouble() * 10_000) / 100.0;
            ask[i] = bid[i] + 0.01;
        }
        return RayTable.builder().column("sym", new SymbolVector(sym)).column("ts", new TimestampVector(ts))
                .column("bid", new F64Vector(bid)).column("ask", new F64Vector(ask)).build();
    }

    /** The queries: each one's cluster answer must equal one server's. */
    public static List<String> queries() {
        return List.of(
                // whole tables and counts
                "trades", "(count trades)", "empty", "(count empty)", "dim", "(count wide)",
                // filters and projections, nulls
                "(select {from: trades where: (> px 50.0)})",
                "(select {id: id p: (* px 2) from: trades where: (and (> qty 500) (< px 70.0))})",
                "(select {id: id s: sym from: trades where: (== sym 'AAPL)})",
                "(select {id: id from: trades where: (in sym [IBM MSFT])})",
                "(select {id: id n: note from: trades where: (like note \"n1*\")})",
                "(select {from: trades where: (nil? px)})",
                "(select {id: id from: trades where: (nil? qty)})",
                "(select {id: id s: sym from: trades where: (== sym ')})",
                "(select {from: empty where: (> px 1.0)})",
                "(select {id: id t: ts from: wide where: (> ts 2024.01.15D12:00:00.000000000)})",
                // order and take
                "(select {id: id px: px from: trades asc: px})",
                "(select {id: id qty: qty from: trades desc: qty})",
                "(select {from: trades asc: ts take: 10})",
                "(select {id: id from: trades desc: px take: 25})",
                "(select {from: trades take: 10})",
                "(select {from: trades take: -10})",
                "(select {from: trades take: [5 10]})",
                "(select {from: empty asc: px take: 3})",
                // aggregates
                "(select {s: (sum qty) n: (count id) mn: (min px) mx: (max px) from: trades})",
                "(select {a: (avg px) f: (first px) l: (last px) from: trades})",
                "(select {m: (med px) dc: (count (distinct sym)) from: trades})",
                "(select {v: (var px) d: (dev px) sd: (stddev px) from: trades})",
                "(select {s: (sum qty) n: (count id) from: empty})",
                "(select {s: (sum qty) n: (count id) a: (avg px) from: trades where: (> px 1000.0)})",
                // group-bys (skewed symbols, the empty symbol among them)
                "(select {s: (sum qty) n: (count id) by: sym from: trades})",
                "(select {a: (avg px) mn: (min px) mx: (max ts) by: side from: trades})",
                "(select {s: (sum qty) by: [sym side] from: trades})",
                "(select {f: (first px) l: (last px) by: sym from: trades})",
                "(select {m: (med px) dc: (count (distinct note)) by: sym from: trades})",
                "(select {s: (sum qty) by: sym from: trades desc: s})",
                "(select {s: (sum qty) by: sym from: trades asc: sym take: 3})",
                "(select {n: (count id) by: {big: (> px 50.0)} from: trades})",
                "(select {n: (count id) by: d from: wide where: (> qty 100)})",
                "(select {s: (sum qty) by: sym from: empty})",
                "(select {w: (wavg qty px) by: side from: trades})",
                // joins: left, inner, anti, full, asof, window
                "(left-join [sym] trades dim)",
                "(inner-join [sym] trades dim)",
                "(anti-join [sym] trades dim)",
                "(full-join [sym] trades dim)",
                "(inner-join [sym] (select {id: id sym: sym px: px from: trades where: (> px 50.0)}) dim)",
                "(left-join [sym] (select {id: id sym: sym from: trades where: (< id 40)}) quotes)",
                "(asof-join [sym ts] trades quotes)",
                "(asof-join [sym ts] (select {id: id sym: sym ts: ts from: trades where: (> qty 100)}) quotes)",
                "(window-join [sym ts] (list (- (at trades 'ts) 1800000000000) (+ (at trades 'ts) 0)) trades quotes {n: (count bid) mb: (max bid)})",
                "(window-join1 [sym ts] (list (- (at trades 'ts) 1800000000000) (+ (at trades 'ts) 60000000000)) trades quotes {n: (count bid) s: (sum bid)})",
                "(left-join [id] trades (select {id: id tag: sym from: wide}))",
                "(left-join [sym] empty dim)",
                // scalars and errors answered like the engine
                "(+ 1 2)", "(til 5)", "(count (select {from: trades where: (> px 50.0)}))",
                "(+ 1 'a)", "(select {from: trades where: (> nosuchcol 1)})");
    }
}
