package io.rayforce.cluster.chaos.workload;

import java.util.List;

/** The reads of the workload: selects, group-bys and joins over the static tables, and ledger reads. */
public final class ReadQueries {
    private ReadQueries() {
    }

    /** A read over the static tables. */
    public record StaticRead(OpKind kind, String query) {
    }

    public static final List<StaticRead> STATIC = List.of(
            new StaticRead(OpKind.SELECT, "(select {from: trades where: (> qty 900)})"),
            new StaticRead(OpKind.SELECT, "(select {id: id sym: sym px: px from: trades where: (== sym 'IBM)})"),
            new StaticRead(OpKind.SELECT, "(select {from: trades desc: px take: 25})"),
            new StaticRead(OpKind.SELECT, "(select {from: trades})"),
            new StaticRead(OpKind.GROUP_BY, "(select {n: (count id) q: (sum qty) by: {sym: sym} from: trades})"),
            new StaticRead(OpKind.GROUP_BY, "(select {hi: (max px) lo: (min px) a: (avg px) by: {day: day} from: trades where: (> qty 100)})"),
            new StaticRead(OpKind.GROUP_BY, "(select {q: (sum qty) n: (count id) from: trades where: (< px 500.0)})"),
            new StaticRead(OpKind.JOIN, "(left-join [sym] (select {id: id sym: sym qty: qty from: trades where: (< qty 200)}) sectors)"),
            new StaticRead(OpKind.JOIN, "(inner-join [sym] (select {id: id sym: sym from: trades where: (> qty 950)}) sectors)"));

    /** One writer's rows of the ledger, in insertion order. */
    public static String ledgerRead(String ledger, int writer) {
        return "(select {from: " + ledger + " where: (== writer " + writer + ")})";
    }
}
