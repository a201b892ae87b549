package io.rayforce.cluster.chaos.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The data every run reads: {@code trades} (sharded on id) and {@code sectors} (replicated to
 * every node), made from a fixed seed so the cluster and the oracle get the very same Rayfall
 * text; and the empty ledger table each run writes to.
 */
public final class Dataset {
    static final List<String> SYMS = List.of("AAPL", "MSFT", "GOOG", "AMZN", "TSLA", "META", "NVDA", "IBM");
    /** Rows per request when loading: the engine refuses very long source text ({@code limit}). */
    static final int CHUNK_ROWS = 2000;
    private final int rows;
    private final List<String> tradesChunks = new ArrayList<>();
    private final String sectorsTable;

    public Dataset(int rows, long seed) {
        this.rows = rows;
        Random r = new Random(seed);
        for (int start = 1; start <= rows; start += CHUNK_ROWS) {
            StringBuilder id = new StringBuilder();
            StringBuilder sym = new StringBuilder();
            StringBuilder qty = new StringBuilder();
            StringBuilder px = new StringBuilder();
            StringBuilder day = new StringBuilder();
            for (int i = start; i < start + CHUNK_ROWS && i <= rows; i++) {
                String sep = i == start ? "" : " ";
                id.append(sep).append(i);
                sym.append(sep).append(SYMS.get(r.nextInt(SYMS.size())));
                qty.append(sep).append(1 + r.nextInt(1000));
                px.append(sep).append(String.format(Locale.ROOT, "%.2f", 10 + r.nextInt(99000) / 100.0));
                day.append(sep).append(String.format(Locale.ROOT, "2024.01.%02d", 1 + r.nextInt(20)));
            }
            tradesChunks.add("(table [id sym qty px day] (list [" + id + "] [" + sym + "] [" + qty + "] [" + px + "] [" + day + "]))");
        }
        sectorsTable = "(table [sym sector weight] (list [AAPL MSFT GOOG AMZN TSLA META NVDA IBM] "
                + "[Tech Tech Media Retail Auto Media Chips Tech] [30 25 20 15 10 8 12 5]))";
    }

    public int rows() {
        return rows;
    }

    /**
     * Requests that create and load the static tables on the cluster (through the gateway's admin
     * functions, then inserts of the further chunks in order).
     */
    public List<String> clusterSetup(int shards, int replication) {
        List<String> out = new ArrayList<>();
        out.add("(.cluster.create 'trades " + tradesChunks.get(0) + " 'id " + shards + " " + replication + ")");
        for (int i = 1; i < tradesChunks.size(); i++) {
            out.add("(insert 'trades " + tradesChunks.get(i) + ")");
        }
        out.add("(.cluster.createReplicated 'sectors " + sectorsTable + ")");
        return out;
    }

    /** Requests that load the same tables, in the same order, into one native server. */
    public List<String> oracleSetup() {
        List<String> out = new ArrayList<>();
        out.add("(set trades " + tradesChunks.get(0) + ")");
        for (int i = 1; i < tradesChunks.size(); i++) {
            out.add("(insert 'trades " + tradesChunks.get(i) + ")");
        }
        out.add("(set sectors " + sectorsTable + ")");
        return out;
    }

    /** The empty ledger: {@code id} (the shard key), the writer, the write's position in its stream, a value. */
    public static String emptyLedger() {
        return "(table [id writer n val] (list (as 'I64 []) (as 'I64 []) (as 'I64 []) (as 'I64 [])))";
    }

    public static String createLedgerOnCluster(String name, int shards, int replication) {
        return "(.cluster.create '" + name + " " + emptyLedger() + " 'id " + shards + " " + replication + ")";
    }

    public static String createLedgerOnOracle(String name) {
        return "(set " + name + " " + emptyLedger() + ")";
    }
}
