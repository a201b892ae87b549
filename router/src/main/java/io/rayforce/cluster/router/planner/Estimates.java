package io.rayforce.cluster.router.planner;

import io.rayforce.cluster.client.ipc.ValueWriter;
import io.rayforce.cluster.client.query.Queries;
import io.rayforce.cluster.client.query.SelectQuery;
import io.rayforce.cluster.client.rayfall.Builtins;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.coordinator.meta.ClusterNaming;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.ColumnSpec;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.router.exec.UnitId;
import io.rayforce.cluster.router.plan.Broadcast;
import io.rayforce.cluster.router.plan.PartitionRoute;
import io.rayforce.cluster.router.plan.Plan;
import io.rayforce.cluster.router.plan.Repartition;
import io.rayforce.cluster.router.plan.Route;
import io.rayforce.cluster.router.plan.ShippedRoute;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What each step of a plan is expected to move over the network before it runs: rows and bytes
 * from the shards (or partitions) to the router, and from the router to the nodes (a shipped
 * right side, a shuffle's partitions). Worked out from each shard's row count ({@link TableSizes})
 * and column widths ({@link Schemas#wireBytes}), read off the request each step sends, as the
 * engine would compute it: a whole shard is its rows; a filter or a grouping keeps at most its
 * input ({@code <=}); an ungrouped aggregate is one row; a take at most its count; a join about
 * its left side's rows ({@code ~}). A step whose size cannot be read this way has no estimate.
 */
public final class Estimates {
    private static final Set<String> JOINS = Set.of("left-join", "inner-join", "full-join", "anti-join", "asof-join",
            "window-join", "window-join1");

    /** Rows and the bytes of each column: what a step moves. {@code atMost}: an upper bound, else about. */
    record Shape(long rows, boolean atMost, Map<String, Integer> widths) {
        long bytes() {
            long w = 0;
            for (int x : widths.values()) {
                w += x;
            }
            return rows * w;
        }

        Shape rows(long n, boolean bound) {
            return new Shape(n, bound, widths);
        }

        static Shape sum(Shape a, Shape b) {
            if (a == null || b == null) {
                return null;
            }
            Map<String, Integer> w = new LinkedHashMap<>(a.widths());
            b.widths().forEach((k, v) -> w.merge(k, v, Math::max));
            long rows = a.rows() + b.rows();
            // widths differ only by name between parts of one step; keep the bytes right
            return new Shape(rows, a.atMost() || b.atMost(), w).withBytes(a.bytes() + b.bytes());
        }

        private Shape withBytes(long bytes) {
            long w = rows == 0 ? 0 : bytes / rows;
            Map<String, Integer> one = new LinkedHashMap<>();
            one.put("*", (int) Math.min(Integer.MAX_VALUE, w));
            return new Shape(rows, atMost, one);
        }
    }

    private final ClusterSnapshot snapshot;
    private final TableSizes sizes;

    public Estimates(ClusterSnapshot snapshot, TableSizes sizes) {
        this.snapshot = snapshot;
        this.sizes = sizes;
    }

    /** What explain adds to a step's line: its estimate, or nothing when there is none. */
    public String note(Plan p) {
        Shape in = intoRouter(p);
        Shape out = toNodes(p);
        StringBuilder sb = new StringBuilder();
        if (in != null) {
            sb.append("  [estimated ").append(text(in)).append(" from the ").append(p instanceof PartitionRoute ? "partitions" : "shards")
                    .append(']');
        }
        if (out != null) {
            sb.append("  [estimated ").append(text(out)).append(" to the nodes]");
        }
        return sb.toString();
    }

    private static String text(Shape s) {
        String how = s.atMost() ? "<=" : "~";
        return how + s.rows() + " rows, " + how + s.bytes() + " bytes";
    }

    /** What step {@code p} brings to the router, or null when it brings nothing or cannot be estimated. */
    Shape intoRouter(Plan p) {
        if (p instanceof Route r) {
            return route(r, Map.of());
        }
        if (p instanceof Repartition r) {
            return repartition(r);
        }
        if (p instanceof PartitionRoute pr) {
            Shape all = null;
            for (Repartition r : pr.repartitions()) {
                Shape s = repartition(r);
                if (s == null) {
                    return null;
                }
                all = all == null ? s : new Shape(all.rows(), false, merge(all.widths(), s.widths()));
            }
            return all == null ? null : all.rows(all.rows(), false); // about the first (left) side's rows
        }
        if (p instanceof ShippedRoute sr && sr.shipped() instanceof Repartition r) {
            Shape part = repartition(r);
            if (part == null) {
                return null;
            }
            Map<String, Shape> temps = new HashMap<>();
            List<String> names = Repartition.temporaries(r.placementShape());
            for (String t : names) {
                temps.put(t, part.rows(Math.max(1, part.rows() / names.size()), part.atMost()));
            }
            return route(sr.route(r.placementShape()), temps);
        }
        return null;
    }

    /** What step {@code p} sends from the router to the nodes, or null. */
    Shape toNodes(Plan p) {
        if (p instanceof Repartition r) {
            return repartition(r);
        }
        if (p instanceof ShippedRoute sr && sr.shipped() instanceof Broadcast b) {
            Route right = firstRoute(b);
            Shape shipped = right == null ? null : route(right, Map.of());
            if (shipped == null) {
                return null;
            }
            int shards = sr.route(RayTable.of(List.of(), List.of())).shards().length;
            return shipped.rows(shipped.rows() * shards, shipped.atMost());
        }
        return null;
    }

    private static Route firstRoute(Plan p) {
        if (p instanceof Route r) {
            return r;
        }
        for (Plan in : p.inputs()) {
            Route r = firstRoute(in);
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    private Shape route(Route r, Map<String, Shape> temps) {
        TablePlacement t = snapshot.table(r.table()).orElse(null);
        long[] rows = t == null ? null : sizes.shardRows(t);
        if (rows == null) {
            return null;
        }
        Shape all = null;
        for (int s : r.shards()) {
            Shape one = shape(r.request(new UnitId(r.table(), s, snapshot.epoch())), t.getSpec(), rows[s], temps);
            if (one == null) {
                return null;
            }
            all = all == null ? one : Shape.sum(all, one);
        }
        return all;
    }

    private Shape repartition(Repartition r) {
        TablePlacement t = snapshot.table(r.table()).orElse(null);
        long[] rows = t == null ? null : sizes.shardRows(t);
        if (rows == null) {
            return null;
        }
        Shape all = null;
        for (int s : r.shards()) {
            UnitId u = new UnitId(r.table(), s, snapshot.epoch());
            Shape one = shape(r.rows().of(u, 0, rows[s]), t.getSpec(), rows[s], Map.of());
            if (one == null) {
                return null;
            }
            all = all == null ? one : Shape.sum(all, one);
        }
        return all;
    }

    /** The shape of what {@code tree} answers on a shard of {@code spec} holding {@code n} rows. */
    Shape shape(RayValue tree, TableSpec spec, long n, Map<String, Shape> temps) {
        if (tree instanceof Name name) {
            if (temps.containsKey(name.name())) {
                return temps.get(name.name());
            }
            if (ClusterNaming.parseShardGlobal(name.name()) != null) {
                Map<String, Integer> w = new LinkedHashMap<>();
                for (ColumnSpec c : spec.getColumnsList()) {
                    w.put(c.getName(), Schemas.wireBytes(c.getType()));
                }
                w.put(ClusterNaming.SEQ_COLUMN, 8);
                return new Shape(n, false, w);
            }
            return null;
        }
        if (tree instanceof RayTable t) {
            Map<String, Integer> w = new LinkedHashMap<>();
            long bytes = ValueWriter.sizeOf(t);
            w.put("*", (int) Math.min(Integer.MAX_VALUE, t.rowCount() == 0 ? 0 : bytes / t.rowCount()));
            return new Shape(t.rowCount(), false, w);
        }
        String f = Queries.function(tree);
        if (f == null) {
            return null;
        }
        RayList call = (RayList) tree;
        switch (f) {
            case "count":
                return new Shape(1, false, Map.of("count", 9));
            case "at": {
                Shape of = call.length() == 3 ? shape(call.get(1), spec, n, temps) : null;
                if (of == null || !(call.get(2) instanceof Symbol c)) {
                    return null;
                }
                return new Shape(of.rows(), of.atMost(), Map.of(c.name(), of.widths().getOrDefault(c.name(), 8)));
            }
            case "take": {
                Shape of = call.length() == 3 ? shape(call.get(1), spec, n, temps) : null;
                long k = takeCount(call.get(2));
                return of == null || k < 0 ? of : of.rows(Math.min(k, of.rows()), of.atMost());
            }
            case "xasc", "xdesc":
                return call.length() == 3 ? shape(call.get(1), spec, n, temps) : null;
            case "select":
                return select(call, spec, n, temps);
            default:
                return JOINS.contains(f) ? join(f, call, spec, n, temps) : null;
        }
    }

    private Shape join(String f, RayList call, TableSpec spec, long n, Map<String, Shape> temps) {
        boolean window = f.startsWith("window-join");
        int l = window ? 3 : 2;
        if (call.length() <= l + 1) {
            return null;
        }
        Shape left = shape(call.get(l), spec, n, temps);
        Shape right = shape(call.get(l + 1), spec, n, temps);
        if (left == null) {
            return null;
        }
        Map<String, Integer> w = new LinkedHashMap<>(left.widths());
        if (window) {
            if (call.length() > 5 && call.get(5) instanceof RayDict aggs && aggs.keys() instanceof SymbolVector ks) {
                ks.toList().forEach(k -> w.put(k, 8));
            }
        } else if (right != null && !f.equals("anti-join")) {
            right.widths().forEach((k, v) -> w.putIfAbsent("r." + k, v));
        }
        return new Shape(left.rows(), false, w); // about one row per left row
    }

    private Shape select(RayList call, TableSpec spec, long n, Map<String, Shape> temps) {
        if (call.length() != 2 || !(call.get(1) instanceof RayDict d)) {
            return null;
        }
        RayValue from = d.get("from");
        long cap = -1;
        if (Queries.function(from) != null && Queries.function(from).equals("take") && ((RayList) from).length() == 3) {
            cap = takeCount(((RayList) from).get(2));
            from = ((RayList) from).get(1);
        }
        Shape src = from == null ? null : shape(from, spec, n, temps);
        if (src == null) {
            return null;
        }
        long rows = cap >= 0 ? Math.min(cap, src.rows()) : src.rows();
        boolean atMost = src.atMost() || d.get("where") != null;
        SelectQuery q;
        try {
            RayValue plain = RayList.of(Name.of("select"), replaceFrom(d));
            q = Queries.parse(plain).filter(x -> x instanceof SelectQuery).map(x -> (SelectQuery) x).orElse(null);
        } catch (RuntimeException e) {
            q = null;
        }
        if (q == null) {
            return null;
        }
        Map<String, Integer> w = new LinkedHashMap<>();
        boolean allAggregates = !q.projections().isEmpty();
        for (var p : q.projections()) {
            w.put(p.name(), width(p.expr(), src));
            String fn = p.expr() instanceof io.rayforce.cluster.client.query.Call c ? c.function() : null;
            allAggregates &= fn != null && Builtins.placement(fn) == Builtins.Placement.AGGREGATE;
        }
        for (var b : q.by()) {
            w.put(b.name(), width(b.expr(), src));
        }
        if (q.projections().isEmpty()) {
            w.putAll(src.widths());
        }
        if (!q.by().isEmpty()) {
            atMost = true;
        } else if (allAggregates) {
            return new Shape(rows == 0 ? 0 : 1, false, w);
        }
        if (q.take() != null) {
            rows = Math.min(rows, Math.abs(q.take().count()));
        }
        return new Shape(rows, atMost, w);
    }

    /** The dict with its source replaced by a plain name, so the select parses whatever the source is. */
    private static RayDict replaceFrom(RayDict d) {
        List<String> keys = ((SymbolVector) d.keys()).toList();
        RayList vals = (RayList) d.values();
        RayValue[] out = new RayValue[vals.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = keys.get(i).equals("from") ? Name.of("t") : vals.get(i);
        }
        return new RayDict(d.keys(), new RayList(out));
    }

    private static int width(io.rayforce.cluster.client.query.Expr e, Shape src) {
        if (e instanceof io.rayforce.cluster.client.query.Column c) {
            return src.widths().getOrDefault(c.name(), 8);
        }
        return 8;
    }

    private static long takeCount(RayValue v) {
        if (v instanceof I64Atom a && !a.isNull()) {
            return Math.abs(a.value());
        }
        if (v instanceof I64Vector iv && iv.length() == 2 && !iv.hasNulls()) {
            return Math.abs(iv.get(1));
        }
        return -1;
    }

    private static Map<String, Integer> merge(Map<String, Integer> a, Map<String, Integer> b) {
        Map<String, Integer> w = new LinkedHashMap<>(a);
        b.forEach((k, v) -> w.putIfAbsent("r." + k, v));
        return w;
    }
}
