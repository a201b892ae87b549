package io.rayforce.cluster.router.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.ipc.ValueWriter;
import io.rayforce.cluster.client.testing.Hex;
import io.rayforce.cluster.client.testing.RayforcePy;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.router.testing.ClusterAndOneServer;
import io.rayforce.cluster.router.testing.JournaledCluster;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * rayforce-py's IPC surface, as its IPC guide documents it, through the gateway of a real
 * cluster (ZooKeeper, the coordinator, three node agents with journals): {@code execute} of
 * strings, of every query object (SelectQuery, UpdateQuery, InsertQuery, UpsertQuery, LeftJoin,
 * InnerJoin, AsofJoin, WindowJoin), of an SQLQuery, and {@code ipcsave(name)}. Each is run from
 * rayforce-py itself against the cluster and against one native server, and the answers, as
 * rayforce-py holds them and the engine serializes them, must be the same bytes. The one
 * difference is ipcsave: rayforce-py sends the name as a string, which one server refuses with
 * {@code type} and the cluster stores as a table (docs/globals.md).
 */
class RayforcePyIpcTest {
    private static ClusterAndOneServer both;
    private static JournaledCluster cluster;

    /** Python expressions, run in order by rayforce-py's TCPClient {@code c}; a Python str is sent as Rayfall. */
    static final List<String> SURFACE = List.of(
            "'(set t (table [id name px] (list [1 2 3 4 5 6] [a b c a b c] [1.0 2.0 3.0 4.0 5.0 6.0])))'",
            "'(+ 1 2)'",
            "'(select {from: t where: (> id 2)})'",
            // SelectQuery
            "Table('t').select('id', 'name').where(Column('id') > 1)",
            "Table('t').select(total=Column('px').sum(), n=Column('id').count()).by('name')",
            "Table('t').where(Column('name').isin(['a', 'c']))",
            // UpdateQuery, InsertQuery, UpsertQuery: in place, answered with the table's name
            "Table('t').update(px=100.0).where(Column('id') == 2)",
            "'t'",
            "Table('t').insert(id=7, name='d', px=7.0)",
            "Table('t').insert(8, 'e', 8.0)",
            "'t'",
            "Table('t').upsert(id=3, name='c', px=33.0, key_columns=1)",
            "Table('t').upsert(id=9, name='f', px=9.0, key_columns=1)",
            "'t'",
            // joins: rayforce-py evaluates each side locally, so they are table values
            "Table.from_dict({'id': [1, 2, 3], 'w': [10, 20, 30]}).left_join(Table.from_dict({'id': [1, 3], 'z': [100, 300]}), on='id')",
            "Table.from_dict({'id': [1, 2, 3], 'w': [10, 20, 30]}).inner_join(Table.from_dict({'id': [1, 3], 'z': [100, 300]}), on='id')",
            "Table.from_dict({'sym': ['a', 'a', 'b'], 'ts': [1, 3, 2], 'price': [100.0, 200.0, 300.0]})"
                    + ".asof_join(Table.from_dict({'sym': ['a', 'a', 'b'], 'ts': [0, 2, 1], 'bid': [99.0, 101.0, 299.0]}), on=['sym', 'ts'])",
            "Table.from_dict({'sym': ['a', 'a', 'b'], 'ts': [1, 3, 2], 'price': [100.0, 200.0, 300.0]}).window_join(on=['sym', 'ts'],"
                    + " join_with=[Table.from_dict({'sym': ['a', 'a', 'b'], 'ts': [0, 2, 1], 'bid': [99.0, 101.0, 299.0]})],"
                    + " interval=TableColumnInterval(-1, 1, Table.from_dict({'sym': ['a', 'a', 'b'], 'ts': [1, 3, 2],"
                    + " 'price': [100.0, 200.0, 300.0]}), 'ts'), mb=Column('bid').max())",
            // SQL, translated by rayforce-py into a query object
            "SQLQuery(Table('t'), 'SELECT name, AVG(px) AS a FROM self GROUP BY name')",
            "SQLQuery(Table('t'), 'SELECT id, px FROM self WHERE px > 4 ORDER BY id')",
            // a join of server-side tables fails in rayforce-py before anything is sent, on both
            "Table('t').left_join(Table('t'), on='id')");

    /** rayforce-py's documented ipcsave: (set "filtered_results" <query>), the name a string. */
    static final String IPCSAVE = "Table('t').select('id', 'px').where(Column('id') > 2).ipcsave('filtered_results')";

    @BeforeAll
    static void start() {
        both = ClusterAndOneServer.start();
        cluster = both.cluster();
    }

    @AfterAll
    static void stop() {
        if (both != null) {
            both.close();
        }
    }

    @Test
    void everyDocumentedKindOfExecuteAnswersAsOneServer() {
        String[] expressions = SURFACE.toArray(new String[0]);
        List<RayforcePy.Result> viaGateway = RayforcePy.run(cluster.gatewayPort(), expressions);
        List<RayforcePy.Result> oneServer = RayforcePy.run(both.oneServerPort(), expressions);
        SoftAssertions soft = new SoftAssertions();
        for (int i = 0; i < expressions.length; i++) {
            RayforcePy.Result g = viaGateway.get(i);
            RayforcePy.Result o = oneServer.get(i);
            if (o.error() != null) {
                soft.assertThat(g.error()).as("rayforce-py's error for %s", expressions[i]).isEqualTo(o.error());
                continue;
            }
            soft.assertThat(g.error()).as("rayforce-py's error for %s (one server answered)", expressions[i]).isNull();
            if (g.error() == null) {
                soft.assertThat(Hex.of(ValueWriter.answerPayload(g.value()))).as("the bytes of %s", expressions[i])
                        .isEqualTo(Hex.of(ValueWriter.answerPayload(o.value())));
            }
        }
        soft.assertAll();
    }

    @Test
    void ipcsaveStoresTheResultAsAClusterTable() {
        String create = "'(set t (table [id name px] (list [1 2 3 4 5 6] [a b c a b c] [1.0 2.0 3.0 4.0 5.0 6.0])))'";
        List<RayforcePy.Result> viaGateway = RayforcePy.run(cluster.gatewayPort(), create, IPCSAVE, "'filtered_results'",
                "'(.cluster.tables)'");
        assertThat(viaGateway.get(1).error()).as("ipcsave through the gateway").isNull();
        List<RayforcePy.Result> oneServer = RayforcePy.run(both.oneServerPort(), create, IPCSAVE,
                "'(select {id: id px: px from: t where: (> id 2)})'");
        assertThat(oneServer.get(1).error()).as("one server refuses the string name").contains("type");
        RayTable expected = (RayTable) oneServer.get(2).value();
        assertThat(Hex.of(ValueWriter.answerPayload(viaGateway.get(1).value()))).as("ipcsave answers the result")
                .isEqualTo(Hex.of(ValueWriter.answerPayload(expected)));
        assertThat(Hex.of(ValueWriter.answerPayload(viaGateway.get(2).value()))).as("the stored table")
                .isEqualTo(Hex.of(ValueWriter.answerPayload(expected)));
        assertThat(viaGateway.get(3).error()).isNull();
        assertThat(viaGateway.get(3).value().toString()).as("a cluster table").contains("filtered_results");
    }
}
