package io.rayforce.cluster.router.write;

import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.coordinator.meta.ClusterNaming;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The engine requests of a write lease (docs/router.md, Write leases), one request per node
 * covering that node's shards of a table, so each is applied whole or not at all on the node:
 * <ul>
 * <li>a shard replica's <b>record</b> {@code t__s__a} is {@code [created epoch, lease, last
 *     committed stamp, last one-step stamp]}; every request of a lease first checks that the record of each shard it
 *     touches is its own (the <b>fence</b>), and answers -1 without changing anything otherwise;</li>
 * <li><b>init</b> takes a replica for a lease (when no newer lease or recovery holds it):
 *     record {@code [E L -1]} and an empty pending table {@code t__s__p};</li>
 * <li><b>append</b> adds a group's rows to the pending tables; no read ever names them;</li>
 * <li><b>commit</b> moves the pending rows into the shard and records the group's stamp (its
 *     largest row sequence number);</li>
 * <li><b>abort</b> empties the pending tables;</li>
 * <li>recovery's <b>fence</b> sets the lease in every record to one past the dead lease (so a
 *     router that lost its lease is refused from then on) and answers the committed stamps;
 *     its <b>resolve</b> commits the pending rows when the recovered stamp covers them, drops
 *     them otherwise, and answers the shards' row counts.</li>
 * </ul>
 * Every request is idempotent where recovery repeats it.
 */
final class AppendForms {
    /** What an absent record reads as: older than every lease. */
    private static final RayValue NO_RECORD = I64Vector.of(0, 0, -1, -1);
    /** The answer of a request whose fence did not hold. */
    static final long FENCED = -1;
    /** The answer of a commit that found fewer or more of the group's rows pending than were appended. */
    static final long NOT_PENDING = -2;

    private AppendForms() {
    }

    /** The record of a shard replica, or {@code [0 0 -1]} when it has none. */
    static RayValue record(String table, int shard) {
        String a = ClusterNaming.recordGlobal(table, shard);
        return call("if", absent(a), NO_RECORD, Name.of(a));
    }

    /** {@code (== (type (resolve 'g)) 'null)}: the global is unbound ({@code nil?} of a vector is per item). */
    static RayValue absent(String global) {
        return call("==", call("type", call("resolve", Symbol.of(global))), Symbol.of("null"));
    }

    private static RayValue recordAt(String table, int shard, int i) {
        return call("at", record(table, shard), I64Atom.of(i));
    }

    /** The replica belongs to lease {@code lease} of the table created at {@code epoch}. */
    static RayValue fenceHolds(String table, int shard, long epoch, long lease) {
        return call("and", call("==", recordAt(table, shard, 0), I64Atom.of(epoch)),
                call("==", recordAt(table, shard, 1), I64Atom.of(lease)));
    }

    /** No newer lease (or recovery of a newer one) holds the replica. */
    static RayValue mayTake(String table, int shard, long epoch, long lease) {
        return call("or", call("<", recordAt(table, shard, 0), I64Atom.of(epoch)),
                call("and", call("==", recordAt(table, shard, 0), I64Atom.of(epoch)),
                        call("<=", recordAt(table, shard, 1), I64Atom.of(lease))));
    }

    /**
     * A request's hold on one replica: the condition that it may take the replica for the lease (and
     * the statements that do), or that the replica's fence holds. Taking is idempotent within one
     * lease: a replica the lease already holds keeps its record and pending rows. Two requests of
     * one lease can both ask to take a replica (a one-step group's commit runs on its own thread
     * while the next group is appended), and they may reach a node in either order; were the second
     * take to empty the pending table, the rows the other appended there would be lost while its
     * commit still answered ok.
     */
    private static void takeOrFence(String table, int shard, long epoch, long lease, boolean take, List<RayValue> conds,
            List<RayValue> body) {
        if (take) {
            conds.add(mayTake(table, shard, epoch, lease));
            body.add(call("if", fenceHolds(table, shard, epoch, lease), I64Atom.of(0),
                    call("do", init(table, shard, epoch, lease).toArray(new RayValue[0]))));
        } else {
            conds.add(fenceHolds(table, shard, epoch, lease));
        }
    }

    /** The statements that take a replica for the lease: its record and an empty pending table. */
    static List<RayValue> init(String table, int shard, long epoch, long lease) {
        String s = ClusterNaming.shardGlobal(table, shard);
        return List.of(
                call("set", Symbol.of(ClusterNaming.recordGlobal(table, shard)), I64Vector.of(epoch, lease, -1, -1)),
                call("set", Symbol.of(ClusterNaming.pendingGlobal(table, shard)), call("take", Name.of(s), I64Atom.of(0))));
    }

    /**
     * One node's part of a group: takes the replicas in {@code init} for the lease, then appends
     * each shard's rows to its pending table; -1 when a fence does not hold.
     */
    static RayValue append(String table, long epoch, long lease, List<Integer> init, Map<Integer, RayTable> rows) {
        List<RayValue> conds = new ArrayList<>();
        List<RayValue> body = new ArrayList<>();
        for (int shard : rows.keySet()) {
            takeOrFence(table, shard, epoch, lease, init.contains(shard), conds, body);
        }
        rows.forEach((shard, t) -> body.add(call("insert", Symbol.of(ClusterNaming.pendingGlobal(table, shard)), t)));
        return guarded(conds, body, I64Atom.of(1));
    }

    /**
     * One node's commit of a group: the pending rows of each shard up to {@code stamp} (the group's
     * largest sequence number; rows of the next group may be pending behind them) move into the
     * shard, and its record gets {@code stamp}. It first checks that exactly the group's rows are
     * pending ({@code rows}: each shard's count appended); else it changes nothing and answers
     * {@link #NOT_PENDING}, so a replica that lost them (or holds others up to the stamp) fails the
     * commit and is reported STALE instead of answering ok with a group it lacks.
     */
    static RayValue commit(String table, long epoch, long lease, Map<Integer, Long> rows, long stamp) {
        List<RayValue> conds = new ArrayList<>();
        List<RayValue> pending = new ArrayList<>();
        List<RayValue> body = new ArrayList<>();
        rows.forEach((shard, count) -> {
            conds.add(fenceHolds(table, shard, epoch, lease));
            pending.add(call("==", call("sum", call("<=", call("at", Name.of(ClusterNaming.pendingGlobal(table, shard)),
                    Symbol.of(ClusterNaming.SEQ_COLUMN)), I64Atom.of(stamp))), I64Atom.of(count)));
            body.add(moveUpTo(table, shard, stamp));
            body.add(call("set", Symbol.of(ClusterNaming.recordGlobal(table, shard)), call("concat", I64Vector.of(epoch, lease, stamp),
                    recordAt(table, shard, 3))));
        });
        List<RayValue> all = new ArrayList<>(body);
        all.add(I64Atom.of(1));
        RayValue whole = pending.size() == 1 ? pending.get(0) : call("and", pending.toArray(new RayValue[0]));
        return guarded(conds, List.of(call("if", whole, doAll(all), I64Atom.of(NOT_PENDING))), null);
    }

    /**
     * One node's part of a group of inserts that each touch one shard: the rows go straight into
     * the shards (no pending step: each insert is whole on its shard's replica once the request
     * ran), and the record gets {@code stamp} as both its stamp and its one-step stamp, by which
     * recovery tells a replica that missed such a group (it cannot catch up from pending rows).
     * With {@code rowByRow} (a group of one-row inserts) each row goes in as the engine's one-row
     * insert of atoms, so the shard's symbol columns end as one server's would (an insert of a
     * table sets their sticky has-nulls attribute {@code 40}, one of atoms does not).
     */
    static RayValue direct(String table, long epoch, long lease, List<Integer> init, Map<Integer, RayTable> rows, long stamp,
            boolean rowByRow) {
        List<RayValue> conds = new ArrayList<>();
        List<RayValue> body = new ArrayList<>();
        for (int shard : rows.keySet()) {
            takeOrFence(table, shard, epoch, lease, init.contains(shard), conds, body);
        }
        rows.forEach((shard, t) -> {
            Symbol s = Symbol.of(ClusterNaming.shardGlobal(table, shard));
            if (rowByRow) {
                for (int i = 0; i < t.rowCount(); i++) {
                    body.add(call("insert", s, row(t, i)));
                }
            } else {
                body.add(call("insert", s, t));
            }
            body.add(call("set", Symbol.of(ClusterNaming.recordGlobal(table, shard)), I64Vector.of(epoch, lease, stamp, stamp)));
        });
        return guarded(conds, body, I64Atom.of(1));
    }

    /**
     * One node's part of an upsert into one shard, in one step: {@code (upsert 't__s K updates)} (K
     * the key's count or name) for the rows whose key exists (each keeps its place and
     * {@code __seq}), then the new rows appended with theirs (by the same upsert), and the record
     * gets {@code stamp} as both stamps.
     */
    static RayValue upsert(String table, long epoch, long lease, boolean init, int shard, RayValue key, RayTable updates,
            RayTable fresh, long stamp) {
        List<RayValue> conds = new ArrayList<>();
        List<RayValue> body = new ArrayList<>();
        takeOrFence(table, shard, epoch, lease, init, conds, body);
        Symbol s = Symbol.of(ClusterNaming.shardGlobal(table, shard));
        if (updates != null) {
            body.add(call("upsert", s, key, updates));
        }
        if (fresh != null) {
            // upserted too (none of their keys exists, so they are appended): an insert of a table would mark the
            // symbol columns with the has-nulls attribute, which one server's upsert does not
            body.add(call("upsert", s, key, fresh));
        }
        body.add(call("set", Symbol.of(ClusterNaming.recordGlobal(table, shard)), I64Vector.of(epoch, lease, stamp, stamp)));
        return guarded(conds, body, I64Atom.of(1));
    }

    /**
     * One upsert of a group, for one shard, keyed on one column: its rows carry {@code __seq}, each
     * row the number of its key's first appearance in the batch.
     */
    record KeyedUpsert(int shard, RayValue key, String keyColumn, RayTable rows) {
    }

    /**
     * One node's part of a group of upserts that each touch one shard and key on one column, in
     * one step, the upserts in their order: each one asks its shard, on the node, which of its
     * rows' keys exist ({@code in}; for a batch with a null key also "the shard holds a null key",
     * as {@code upsert} matches null keys: {@code in} matches them outside a select, as here, but
     * not in a select's where, verified on the engine), upserts those rows without {@code __seq} (each row keeps its
     * place and sequence number) and then the others with theirs (appended, one per new key at its
     * first appearance with its last values, the engine's own rule, so their shared number is the
     * first appearance's). Each upsert sees the ones before it, as on one server. Every record gets
     * {@code stamp} as both stamps.
     */
    static RayValue upserts(String table, long epoch, long lease, List<Integer> init, List<KeyedUpsert> upserts, long stamp) {
        List<RayValue> conds = new ArrayList<>();
        List<RayValue> body = new ArrayList<>();
        Set<Integer> shards = new TreeSet<>();
        upserts.forEach(u -> shards.add(u.shard()));
        for (int shard : shards) {
            takeOrFence(table, shard, epoch, lease, init.contains(shard), conds, body);
        }
        for (KeyedUpsert u : upserts) {
            body.add(upsertOnShard(table, u));
        }
        for (int shard : shards) {
            body.add(call("set", Symbol.of(ClusterNaming.recordGlobal(table, shard)), I64Vector.of(epoch, lease, stamp, stamp)));
        }
        return guarded(conds, body, I64Atom.of(1));
    }

    /**
     * {@code (upsert 's K (select {c1: c1 .. from: (at rows (where hit))}))} (the rows whose key the
     * shard holds, without {@code __seq}) then {@code (upsert 's K (at rows (where (not hit))))}, where
     * {@code hit} asks the shard for the batch's keys. Written out, not bound in a lambda: the
     * data-path rule lets no function body write.
     */
    private static RayValue upsertOnShard(String table, KeyedUpsert u) {
        String s = ClusterNaming.shardGlobal(table, u.shard());
        Vector keys = u.rows().column(u.keyColumn());
        RayValue held = call("at", Name.of(s), Symbol.of(u.keyColumn()));
        RayValue hit = call("in", keys, held);
        if (keys.hasNulls()) {
            hit = call("or", hit, call("and", call("nil?", keys), call("any", call("nil?", held))));
        }
        List<String> names = new ArrayList<>();
        List<RayValue> values = new ArrayList<>();
        for (String c : u.rows().columnNames()) {
            if (!c.equals(ClusterNaming.SEQ_COLUMN)) {
                names.add(c);
                values.add(Name.of(c));
            }
        }
        names.add("from");
        values.add(call("at", u.rows(), call("where", hit)));
        RayValue updates = call("select", new RayDict(SymbolVector.of(names.toArray(new String[0])), RayList.of(values)));
        RayValue fresh = call("at", u.rows(), call("where", call("not", hit)));
        return call("do", call("upsert", Symbol.of(s), u.key(), updates), call("upsert", Symbol.of(s), u.key(), fresh));
    }

    /**
     * The pending rows of a shard with {@code __seq} at most {@code stamp} move into it, the others stay
     * pending: all at once when the last one is covered (the pending table then holds one group).
     */
    /** Row {@code i} of a table as the engine's one-row insert takes it: {@code (list v1 v2 ...)} of atoms. */
    static RayValue row(RayTable rows, int i) {
        List<RayValue> items = new ArrayList<>();
        items.add(Name.of("list"));
        for (Vector c : rows.columns()) {
            RayValue v = c.at(i);
            items.add(v instanceof RayList ? RayList.of(Name.of("quote"), v) : v);
        }
        return RayList.of(items);
    }

    private static RayValue moveUpTo(String table, int shard, long stamp) {
        String s = ClusterNaming.shardGlobal(table, shard);
        String p = ClusterNaming.pendingGlobal(table, shard);
        RayValue seq = Name.of(ClusterNaming.SEQ_COLUMN);
        RayValue all = call("do", call("insert", Symbol.of(s), Name.of(p)),
                call("set", Symbol.of(p), call("take", Name.of(p), I64Atom.of(0))));
        RayValue some = call("do", call("insert", Symbol.of(s), select(p, call("<=", seq, I64Atom.of(stamp)))),
                call("set", Symbol.of(p), select(p, call(">", seq, I64Atom.of(stamp)))));
        RayValue covered = call("<=", call("last", call("at", Name.of(p), Symbol.of(ClusterNaming.SEQ_COLUMN))),
                I64Atom.of(stamp));
        return call("if", call("==", call("count", Name.of(p)), I64Atom.of(0)), I64Atom.of(0), call("if", covered, all, some));
    }

    private static RayValue select(String from, RayValue where) {
        return call("select", new RayDict(
                SymbolVector.of("from", "where"), RayList.of(Name.of(from), where)));
    }

    /** One node's abort of a group: its rows ({@code __seq} in [lo, hi]) leave the pending tables. */
    static RayValue abort(String table, long epoch, long lease, List<Integer> shards, long lo, long hi) {
        List<RayValue> conds = new ArrayList<>();
        List<RayValue> body = new ArrayList<>();
        for (int shard : shards) {
            String p = ClusterNaming.pendingGlobal(table, shard);
            conds.add(fenceHolds(table, shard, epoch, lease));
            body.add(call("set", Symbol.of(p), select(p, call("not", call("within", Name.of(ClusterNaming.SEQ_COLUMN),
                    I64Vector.of(lo, hi))))));
        }
        return guarded(conds, body, I64Atom.of(1));
    }

    /**
     * Recovery, step 1, one node: every record of the table's epoch gets lease {@code fence}
     * (one past the dead lease), keeping its stamps; answers, in {@code shards} order, each shard's
     * stamp and one-step stamp (-1: none, -2: the record is of another epoch and is left alone).
     */
    static RayValue recoveryFence(String table, long epoch, long fence, List<Integer> shards) {
        List<RayValue> body = new ArrayList<>();
        List<RayValue> answer = new ArrayList<>();
        answer.add(Name.of("list"));
        for (int shard : shards) {
            String a = ClusterNaming.recordGlobal(table, shard);
            RayValue ours = call("or", absent(a), call("==", recordAt(table, shard, 0),
                    I64Atom.of(epoch)));
            body.add(call("if", ours, call("set", Symbol.of(a), call("concat", call("concat", I64Vector.of(epoch, fence),
                    recordAt(table, shard, 2)), recordAt(table, shard, 3))), I64Atom.of(0)));
            answer.add(call("if", ours, recordAt(table, shard, 2), I64Atom.of(-2)));
            answer.add(call("if", ours, recordAt(table, shard, 3), I64Atom.of(-2)));
        }
        body.add(RayList.of(answer));
        return doAll(body);
    }

    /**
     * Recovery, step 2, one node: the pending rows of each shard are committed when their largest
     * sequence number is at most {@code stamp}, else dropped; answers each shard's row count, in
     * {@code shards} order.
     */
    static RayValue recoveryResolve(String table, long epoch, long fence, List<Integer> shards, long stamp) {
        List<RayValue> body = new ArrayList<>();
        List<RayValue> answer = new ArrayList<>();
        answer.add(Name.of("list"));
        for (int shard : shards) {
            String s = ClusterNaming.shardGlobal(table, shard);
            String p = ClusterNaming.pendingGlobal(table, shard);
            RayValue pending = call("and", call("==", call("type", call("resolve", Symbol.of(p))), Symbol.of("TABLE")),
                    call(">", call("count", Name.of(p)), I64Atom.of(0)));
            body.add(call("if", pending, call("insert", Symbol.of(s), select(p, call("<=", Name.of(ClusterNaming.SEQ_COLUMN),
                    I64Atom.of(stamp)))), I64Atom.of(0)));
            body.add(call("del", Symbol.of(p)));
            body.add(call("if", call("==", recordAt(table, shard, 0), I64Atom.of(epoch)),
                    call("set", Symbol.of(ClusterNaming.recordGlobal(table, shard)), I64Vector.of(epoch, fence, stamp, -1)),
                    I64Atom.of(0)));
            answer.add(call("count", Name.of(s)));
        }
        body.add(RayList.of(answer));
        return doAll(body);
    }

    /** {@code body} then {@code ok} (null: the body's last value) when every condition holds, else {@link #FENCED}. */
    private static RayValue guarded(List<RayValue> conds, List<RayValue> body, RayValue ok) {
        RayValue cond = conds.size() == 1 ? conds.get(0) : call("and", conds.toArray(new RayValue[0]));
        List<RayValue> all = new ArrayList<>(body);
        if (ok != null) {
            all.add(ok);
        }
        return call("if", cond, doAll(all), I64Atom.of(FENCED));
    }

    private static RayValue doAll(List<RayValue> statements) {
        List<RayValue> items = new ArrayList<>();
        items.add(Name.of("do"));
        items.addAll(statements);
        return RayList.of(items);
    }

    static RayValue call(String f, RayValue... args) {
        List<RayValue> items = new ArrayList<>();
        items.add(Name.of(f));
        items.addAll(List.of(args));
        return RayList.of(items);
    }
}
