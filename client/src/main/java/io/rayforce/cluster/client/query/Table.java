package io.rayforce.cluster.client.query;

import io.rayforce.cluster.client.rayfall.RayfallPrinter;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Symbol;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A table held by the server, referred to by its global name (rayforce-py's {@code Table("t")}).
 * As a value it compiles to the name reference {@code t}; writes name it as the symbol
 * {@code 't}, which changes the global in place.
 */
public record Table(String name) implements Source {
    public Table {
        Objects.requireNonNull(name, "table name");
        if (!RayfallPrinter.isNameToken(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a Rayfall name");
        }
    }

    public static Table of(String name) {
        return new Table(name);
    }

    /** The name reference {@code t}: evaluates to the table. */
    @Override
    public RayValue ipc() {
        return Name.of(name);
    }

    /** The literal symbol {@code 't}, which in-place writes take. */
    public Symbol symbol() {
        return Symbol.of(name);
    }

    /** {@code (update {col: value ... from: 't})}; strings in values are symbols. */
    public UpdateQuery update(Named... assignments) {
        return new UpdateQuery(this, true, List.of(assignments), null, List.of());
    }

    /** {@code (update {column: value from: 't})}; a String value is a symbol. */
    public UpdateQuery update(String column, Object value) {
        return update(new Named(column, Literals.data(value)));
    }

    /** {@code (insert 't (list v1 v2 ...))}: one row, values in column order (strings are symbols). */
    public InsertQuery insert(Object... row) {
        return new InsertQuery(this, true, InsertData.row(row));
    }

    /** {@code (insert 't (list [..] [..] ...))}: several rows given as one list of values per column. */
    public InsertQuery insertColumns(List<?>... columns) {
        return new InsertQuery(this, true, InsertData.columns(Arrays.asList(columns)));
    }

    /** Several rows given row by row; sent as columns. */
    public InsertQuery insertRows(List<? extends List<?>> rows) {
        return new InsertQuery(this, true, InsertData.rows(rows));
    }

    /** {@code (insert 't {col: v ...})}: columns matched by name (a list value inserts several rows). */
    public InsertQuery insert(Map<String, ?> columns) {
        return new InsertQuery(this, true, InsertData.dict(columns));
    }

    /** {@code (insert 't other)}: the rows of a table value. */
    public InsertQuery insert(RayTable rows) {
        return new InsertQuery(this, true, new InsertData.Other(rows));
    }

    /** {@code (insert 't source)}: the rows of another server table or query. */
    public InsertQuery insert(Source rows) {
        return new InsertQuery(this, true, new InsertData.Other(rows.ipc()));
    }

    /** {@code (upsert 't keyColumns (list v1 ...))}: one row keyed by its first {@code keyColumns} columns. */
    public UpsertQuery upsert(int keyColumns, Object... row) {
        return new UpsertQuery(this, true, keyColumns, InsertData.row(row));
    }

    /** {@code (upsert 't keyColumns (list [..] ...))}: several rows as one list per column. */
    public UpsertQuery upsertColumns(int keyColumns, List<?>... columns) {
        return new UpsertQuery(this, true, keyColumns, InsertData.columns(Arrays.asList(columns)));
    }

    /** {@code (upsert 't keyColumns {col: v ...})}. */
    public UpsertQuery upsert(int keyColumns, Map<String, ?> columns) {
        return new UpsertQuery(this, true, keyColumns, InsertData.dict(columns));
    }

    /** {@code (upsert 't keyColumns table)}. */
    public UpsertQuery upsert(int keyColumns, RayTable rows) {
        return new UpsertQuery(this, true, keyColumns, new InsertData.Other(rows));
    }

    /** {@code (delete {from: 't where: predicate})}. */
    public DeleteQuery delete(Expr predicate) {
        return new DeleteQuery(this, true, predicate);
    }

    /** {@code (set name t)}: a copy of this table under another global name. */
    public IpcSave ipcsave(String newName) {
        return new IpcSave(newName, this, false);
    }

    @Override
    public String toString() {
        return name;
    }

    static List<Named> named(Projection[] items) {
        List<Named> out = new ArrayList<>(items.length);
        for (Projection p : items) {
            out.add(p.named());
        }
        return out;
    }
}
