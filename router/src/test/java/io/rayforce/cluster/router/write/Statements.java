package io.rayforce.cluster.router.write;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

/**
 * Random Rayfall write statements over the differential tests' tables, as text that the oracle
 * engine and the cluster both evaluate: inserts of one row, of columns, of dicts and tables
 * (columns in any order), of a select over the table itself; upserts with existing and
 * repeated keys and partial dicts; row-wise updates and deletes; and statements the engine
 * refuses (wrong types, unknown columns, wrong widths).
 */
final class Statements {
    static final String[] SYMS = {"A", "B", "C", "D", "E", "F", "GG", "H.I"};

    private final SplittableRandom r;

    Statements(long seed) {
        this.r = new SplittableRandom(seed);
    }

    /** trades: id i64, sym symbol (shard key), side symbol, px f64, qty i64, ts timestamp, d date, note string. */
    static final String TRADES_COLUMNS = "[id sym side px qty ts d note]";
    static final String TRADES_EMPTY = "(table [id sym side px qty ts d note] (list (as 'I64 []) (as 'SYM []) (as 'SYM []) "
            + "(as 'F64 []) (as 'I64 []) (as 'TIMESTAMP []) (as 'DATE []) (as 'STR [])))";
    /** acct: id i64 (key, shard key), sym symbol, bal f64, n i64, ts timestamp. */
    static final String ACCT_EMPTY = "(table [id sym bal n ts] (list (as 'I64 []) (as 'SYM []) (as 'F64 []) (as 'I64 []) "
            + "(as 'TIMESTAMP [])))";
    /** pos: sym symbol (shard key), acct i64, qty i64, px f64; keyed by (sym, acct). */
    static final String POS_EMPTY = "(table [sym acct qty px] (list (as 'SYM []) (as 'I64 []) (as 'I64 []) (as 'F64 [])))";

    private int nextId = 1;

    String trades(String t) {
        int k = r.nextInt(100);
        if (k < 12) {
            return "(insert '" + t + " (list " + nextId++ + " '" + sym() + " '" + side() + " " + px() + " " + qty() + " " + ts()
                    + " " + date() + " " + note() + "))";
        }
        if (k < 30) {
            int n = 1 + r.nextInt(25);
            return "(insert '" + t + " (list " + ids(n) + " " + vec(n, i -> sym()) + " " + vec(n, i -> side()) + " "
                    + vec(n, i -> px()) + " " + vec(n, i -> qty()) + " " + vec(n, i -> ts()) + " " + vec(n, i -> date()) + " "
                    + vec(n, i -> note()) + "))";
        }
        if (k < 38) {
            int n = 1 + r.nextInt(10);
            List<String> cols = new ArrayList<>(List.of("id", "sym", "side", "px", "qty", "ts", "d", "note"));
            Collections.shuffle(cols, new java.util.Random(r.nextLong()));
            List<String> vals = new ArrayList<>();
            String ids = ids(n);
            for (String c : cols) {
                vals.add(column(c, n, ids));
            }
            String shape = r.nextBoolean() ? "dict" : "table";
            return "(insert '" + t + " (" + shape + " [" + String.join(" ", cols) + "] (list " + String.join(" ", vals) + ")))";
        }
        if (k < 43) {
            // one row, some columns left out: nulls
            return "(insert '" + t + " (dict [sym id px] (list '" + sym() + " " + nextId++ + " " + px() + ")))";
        }
        if (k < 47) {
            return "(insert '" + t + " (select {from: " + t + " where: (> qty " + (850 + r.nextInt(150)) + ")}))";
        }
        if (k < 60) {
            return switch (r.nextInt(5)) {
                case 0 -> "(update {px: (* px 2.0) from: '" + t + " where: (> qty " + r.nextInt(1000) + ")})";
                case 1 -> "(update {note: \"u" + r.nextInt(9) + "\" side: 'sell from: '" + t + " where: (== sym '" + sym() + ")})";
                case 2 -> "(update {qty: (+ qty 1) from: '" + t + "})";
                case 3 -> "(update {px: (avg px) by: sym from: '" + t + "})";
                default -> "(update {ts: 2024.02.01D00:00:00.000000000 d: 2024.02.01 from: '" + t + " where: (nil? px)})";
            };
        }
        if (k < 70) {
            return switch (r.nextInt(4)) {
                case 0 -> "(delete {from: '" + t + " where: (< px " + r.nextInt(30) + ".0)})";
                case 1 -> "(delete {from: '" + t + " where: (== sym '" + sym() + ")})";
                case 2 -> "(delete {from: '" + t + " where: (in id " + ids(1 + r.nextInt(8), r.nextInt(Math.max(1, nextId))) + ")})";
                default -> "(delete {from: '" + t + " where: (and (== side 'buy) (> qty 700))})";
            };
        }
        if (k < 76) {
            return switch (r.nextInt(5)) {
                case 0 -> "(insert '" + t + " (list 1.5 'A 'buy 1.0 1 0Np 2024.01.01 \"x\"))"; // type
                case 1 -> "(insert '" + t + " (list 1 'A 'buy))"; // domain
                case 2 -> "(insert '" + t + " (dict [id zz] (list 1 2)))"; // value
                case 3 -> "(update {qty: 1.5 from: '" + t + "})"; // type
                default -> "(insert '" + t + " (list 1 \"A\" 'buy 1.0 1 0Np 2024.01.01 \"x\"))"; // type
            };
        }
        return "(insert '" + t + " (list " + ids(3) + " " + vec(3, i -> sym()) + " " + vec(3, i -> side()) + " "
                + vec(3, i -> px()) + " " + vec(3, i -> qty()) + " " + vec(3, i -> ts()) + " " + vec(3, i -> date()) + " "
                + vec(3, i -> note()) + "))";
    }

    String acct(String t) {
        int k = r.nextInt(100);
        if (k < 40) {
            int n = 1 + r.nextInt(12);
            String ids = vec(n, i -> String.valueOf(1 + r.nextInt(40)));
            return "(upsert '" + t + " 1 (list " + ids + " " + vec(n, i -> sym()) + " " + vec(n, i -> px()) + " "
                    + vec(n, i -> qty()) + " " + vec(n, i -> ts()) + "))";
        }
        if (k < 55) {
            int n = 1 + r.nextInt(6);
            String ids = vec(n, i -> String.valueOf(1 + r.nextInt(40)));
            return "(upsert '" + t + " 1 (dict [bal id] (list " + vec(n, i -> px()) + " " + ids + ")))";
        }
        if (k < 62) {
            return "(upsert '" + t + " 1 (list " + (1 + r.nextInt(40)) + " '" + sym() + " " + px() + " " + qty() + " " + ts() + "))";
        }
        if (k < 70) {
            int n = 1 + r.nextInt(6);
            return "(upsert '" + t + " 1 (table [n id sym] (list " + vec(n, i -> qty()) + " "
                    + vec(n, i -> String.valueOf(1 + r.nextInt(40))) + " " + vec(n, i -> sym()) + ")))";
        }
        if (k < 78) {
            int n = 1 + r.nextInt(5);
            return "(insert '" + t + " (list " + vec(n, i -> String.valueOf(1 + r.nextInt(40))) + " " + vec(n, i -> sym()) + " "
                    + vec(n, i -> px()) + " " + vec(n, i -> qty()) + " " + vec(n, i -> ts()) + "))";
        }
        if (k < 88) {
            return r.nextBoolean() ? "(update {bal: (+ bal 1.0) n: (* n 2) from: '" + t + " where: (> id " + r.nextInt(40) + ")})"
                    : "(update {sym: '" + sym() + " from: '" + t + " where: (nil? bal)})";
        }
        if (k < 95) {
            return "(delete {from: '" + t + " where: (> n " + (500 + r.nextInt(500)) + ")})";
        }
        return switch (r.nextInt(3)) {
            case 0 -> "(upsert '" + t + " 1 (dict [sym bal] (list 'A 1.0)))"; // value: no key column
            case 1 -> "(upsert '" + t + " 1 (list 1.5 'A 1.0 1 0Np))"; // type
            default -> "(upsert '" + t + " 9 (list 1 'A 1.0 1 0Np))"; // domain
        };
    }

    String pos(String t) {
        int k = r.nextInt(100);
        if (k < 50) {
            int n = 1 + r.nextInt(10);
            return "(upsert '" + t + " 2 (list " + vec(n, i -> sym()) + " " + vec(n, i -> String.valueOf(r.nextInt(5))) + " "
                    + vec(n, i -> qty()) + " " + vec(n, i -> px()) + "))";
        }
        if (k < 65) {
            int n = 1 + r.nextInt(6);
            return "(upsert '" + t + " 1 (dict [sym qty] (list " + vec(n, i -> sym()) + " " + vec(n, i -> qty()) + ")))";
        }
        if (k < 80) {
            return "(update {qty: (neg qty) from: '" + t + " where: (== acct " + r.nextInt(5) + ")})";
        }
        if (k < 90) {
            return "(delete {from: '" + t + " where: (== acct " + r.nextInt(5) + ")})";
        }
        return "(insert '" + t + " (list '" + sym() + " " + r.nextInt(5) + " " + qty() + " " + px() + "))";
    }

    private String column(String c, int n, String ids) {
        return switch (c) {
            case "id" -> ids;
            case "sym" -> vec(n, i -> sym());
            case "side" -> vec(n, i -> side());
            case "px" -> vec(n, i -> px());
            case "qty" -> vec(n, i -> qty());
            case "ts" -> vec(n, i -> ts());
            case "d" -> vec(n, i -> date());
            default -> vec(n, i -> note());
        };
    }

    private String ids(int n) {
        int first = nextId;
        nextId += n;
        return ids(n, first);
    }

    private static String ids(int n, int first) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(String.valueOf(first + i));
        }
        return "[" + String.join(" ", out) + "]";
    }

    private static String vec(int n, IntFunction<String> item) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String s = item.apply(i);
            out.add(s.startsWith("'") ? s.substring(1) : s);
        }
        return "[" + String.join(" ", out) + "]";
    }

    private String sym() {
        double x = r.nextDouble();
        return SYMS[(int) Math.min(SYMS.length - 1, Math.floor(x * x * SYMS.length))];
    }

    private String side() {
        return r.nextBoolean() ? "buy" : "sell";
    }

    private String px() {
        return r.nextInt(12) == 0 ? "0Nf" : (r.nextInt(10000) / 100) + "." + (r.nextInt(9) + 1);
    }

    private String qty() {
        return r.nextInt(15) == 0 ? "0N" : String.valueOf(1 + r.nextInt(1000));
    }

    private String ts() {
        return r.nextInt(15) == 0 ? "0Np" : String.format("2024.01.15D%02d:%02d:%02d.%09d", 9 + r.nextInt(8), r.nextInt(60),
                r.nextInt(60), r.nextInt(1_000_000_000));
    }

    private String date() {
        return r.nextInt(15) == 0 ? "0Nd" : "2024.01." + (10 + r.nextInt(10));
    }

    private String note() {
        return r.nextInt(8) == 0 ? "\"\"" : "\"n" + r.nextInt(30) + "\"";
    }
}
