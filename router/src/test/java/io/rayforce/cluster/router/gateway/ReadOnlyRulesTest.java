package io.rayforce.cluster.router.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.rayfall.RayfallReader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which requests a read-only gateway user is refused: every write form and admin write function, no read. */
class ReadOnlyRulesTest {
    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "(insert 'trades (list 1 'A 1.0))|insert",
        "(upsert 'trades 1 (list [1] [A] [9.0]))|upsert",
        "(update {px: 0.0 from: 'trades})|update",
        "(delete {from: 'trades where: (== sym 'B)})|delete",
        "(set big (select {from: trades}))|set",
        "(count (set big (select {from: trades})))|set",
        "(.cluster.create 'x (table [a] (list [1])) 'a)|.cluster.create",
        "(.cluster.createReplicated 'x (table [a] (list [1])))|.cluster.createReplicated",
        "(.cluster.load 'x (table [a] (list [1])))|.cluster.load",
        "(.cluster.drop 'x)|.cluster.drop",
        "(.cluster.somethingNew 'x)|.cluster.somethingNew",
        "(do 1 (insert 'trades (list 1 'A 1.0)))|insert",
        "((fn [t] (delete {from: t where: (> px 1.0)})) 'trades)|delete",
        "(map insert (list 't) (list 1))|insert",
        "(insert trades (list 1 'A 1.0))|insert",
        "(set x 42)|set",
        "(set f (fn [x] (* x 2)))|set",
        "(del x)|del",
        "(alter 'trades concat (table [id sym px] (list [1] [A] [1.0])))|alter",
        "(alter 'xs set 0 1)|alter",
        "(let x 5)|let",
        "(if true (let x 5) 0)|let",
        "(+ 1 (let x 5))|let",
        "(+ 1 (set x 2))|set"})
    void writesAreRefused(String request, String refused) {
        assertThat(WriteRequests.firstWrite(RayfallReader.read(request))).isEqualTo(refused);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "(select {from: trades where: (> px 1.0)})",
        "(select {n: (count px) by: sym from: trades})",
        "(.cluster.tables)", "(.cluster.describe 'trades)", "(.cluster.status)", "(.cluster.lastError)",
        "(+ 1 2)", "(left-join [sym] trades venues)", "(count trades)", "((fn [x] (* x 2)) 21)",
        "((fn [x] (let y (* x 2)) y) 21)", "(do (let x 5) x)", "x", "(f 21)", "(key (env 0))", "(modify trades 'px neg)"})
    void readsAreServed(String request) {
        assertThat(WriteRequests.firstWrite(RayfallReader.read(request))).isNull();
    }
}
