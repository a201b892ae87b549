package io.rayforce.cluster.client.sql;

import io.rayforce.cluster.client.query.Query;
import io.rayforce.cluster.client.query.Table;
import io.rayforce.cluster.client.rayfall.RayfallPrinter;
import io.rayforce.cluster.client.value.Encodable;
import io.rayforce.cluster.client.value.RayValue;
import java.util.Objects;

/**
 * A SQL statement run on the server as the query object it translates to (rayforce-py's
 * {@code SQLQuery(table, sql)}). The statement is parsed and translated when the SQLQuery is
 * made, so bad or unsupported SQL fails here with a {@link SqlException}, before anything is
 * sent. With a table given, it is used instead of the table the SQL names.
 */
public final class SQLQuery implements Encodable {
    private final String sql;
    private final Query query;

    /** {@code sql} run against {@code table} (whatever table the SQL names). */
    public SQLQuery(Table table, String sql) {
        this.sql = Objects.requireNonNull(sql, "sql");
        this.query = SqlTranslator.translate(sql, Objects.requireNonNull(table, "table"));
    }

    private SQLQuery(String sql) {
        this.sql = Objects.requireNonNull(sql, "sql");
        this.query = SqlTranslator.translate(sql, null);
    }

    /** {@code sql} against the table its FROM, INTO or UPDATE clause names. */
    public static SQLQuery of(String sql) {
        return new SQLQuery(sql);
    }

    public String sql() {
        return sql;
    }

    /** The query object the SQL translates to. */
    public Query query() {
        return query;
    }

    @Override
    public RayValue ipc() {
        return query.ipc();
    }

    /** The Rayfall text of the translated query. */
    @Override
    public String toString() {
        return RayfallPrinter.print(ipc());
    }
}
