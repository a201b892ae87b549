package io.rayforce.cluster.chaos.workload;

/** The kinds of operations the workload runs through the gateway. */
public enum OpKind {
    /** A select (filter, projection, sort, take) over the static tables. */
    SELECT(false),
    /** A group-by with aggregates over the static tables. */
    GROUP_BY(false),
    /** A join of the sharded table with the replicated one. */
    JOIN(false),
    /** A read of one writer's rows of the ledger, which changes during the run. */
    LEDGER_READ(false),
    /** {@code (insert 'ledger row)}: a new row. */
    INSERT(true),
    /** {@code (upsert 'ledger 1 row)}: a row keyed by id, new or replacing. */
    UPSERT(true),
    /** {@code (update {val: (+ val 1) ... where: (== id X)})}: one row changed in place. */
    UPDATE(true),
    /** A query that calls a builtin with side effects ({@code exit}, files, IPC, ...): it must be refused with {@code access}. */
    HOSTILE(false);

    private final boolean write;

    OpKind(boolean write) {
        this.write = write;
    }

    public boolean isWrite() {
        return write;
    }
}
