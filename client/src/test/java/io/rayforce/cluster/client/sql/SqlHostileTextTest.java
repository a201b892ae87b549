package io.rayforce.cluster.client.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** SQL text the fuzz target found trouble with: each is a clear {@link SqlException}, at once. */
class SqlHostileTextTest {
    @Test
    void emptyTextHasNoStatement() {
        assertThatThrownBy(() -> SQLQuery.of("")).isInstanceOf(SqlException.class).hasMessageContaining("no statement");
        assertThatThrownBy(() -> SQLQuery.of(" \n ")).isInstanceOf(SqlException.class);
        assertThatThrownBy(() -> SQLQuery.of("-- only a comment\n")).isInstanceOf(SqlException.class);
    }

    /** Eight nested brackets took JSqlParser 16 s to give up on (its time grows fourfold per bracket). */
    @Test
    void nestedSquareBracketsAreRefusedBeforeParsing() {
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> SQLQuery.of("UPDATE u SET sym =[[[[[[[[[[[[[[[[[[[[[[[[[[INSER"))
                .isInstanceOf(SqlException.class).hasMessageContaining("square brackets nested");
        assertThatThrownBy(() -> SQLQuery.of("SELECT [[[[[[[[1 FROM t")).isInstanceOf(SqlException.class);
        assertThat((System.nanoTime() - t0) / 1_000_000).as("ms").isLessThan(1000);
        // inside quotes, brackets are text
        assertThat(SQLQuery.of("SELECT id FROM t WHERE sym = '[[[['").toString()).contains("\"[[[[\"");
    }

    @Test
    void orderByNamesThatAreNotRayfallNamesAreRefused() {
        // JSqlParser takes 6qty as a column name; in Rayfall it would be a malformed number
        assertThatThrownBy(() -> SQLQuery.of("SELECT id FROM t ORDER BY sym DESC, 6qty ASC"))
                .isInstanceOf(SqlException.class).hasMessageContaining("'6qty'");
        assertThat(SQLQuery.of("SELECT id FROM t ORDER BY sym DESC, qty6 ASC").toString()).contains("qty6");
    }
}
