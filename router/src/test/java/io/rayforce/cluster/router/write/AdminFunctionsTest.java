package io.rayforce.cluster.router.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.client.RayforceError;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.value.BoolAtom;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Str;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.router.exec.UnsupportedQueryError;
import io.rayforce.cluster.router.gateway.Gateway;
import io.rayforce.cluster.router.gateway.GatewayOptions;
import io.rayforce.cluster.router.services.ControlPlaneError;
import io.rayforce.cluster.router.testing.SameAnswer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The cluster admin functions, from {@code ClusterClient.execute} and from a plain IPC client
 * through the gateway: create (with rows), create replicated, load, tables, describe, status,
 * drop, and the errors for bad calls.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminFunctionsTest {
    private static final String ROWS = "(table [id sym px] (list [1 2 3 4 5] [a b c a b] [1.5 2.5 3.5 4.5 5.5]))";

    private WriteCluster c;
    private Gateway gateway;
    private TCPClient ipc;

    @BeforeAll
    void start() {
        c = new WriteCluster(3);
        gateway = new Gateway(c.client, GatewayOptions.DEFAULT).start("127.0.0.1", 0);
        ipc = new TCPClient("127.0.0.1", gateway.port());
    }

    @AfterAll
    void stop() {
        ipc.close();
        gateway.close();
        c.close();
    }

    private RayTable tables() {
        return (RayTable) c.client.execute("(.cluster.tables)");
    }

    private int row(RayTable t, String name) {
        return ((SymbolVector) t.column("name")).toList().indexOf(name);
    }

    @Test
    void createLoadDescribeAndDrop() {
        assertThat(c.client.execute("(.cluster.create 'orders " + ROWS + " 'sym 6 2)")).isEqualTo(Symbol.of("orders"));
        SameAnswer.assertSame("orders", c.oracle.execute(ROWS), c.client.execute("orders"));
        c.client.execute("(.cluster.load 'orders (table [id sym px] (list [6] [c] [6.5])))");
        assertThat(c.client.execute("(count orders)")).isEqualTo(I64Atom.of(6));

        RayTable t = tables();
        int i = row(t, "orders");
        assertThat(i).isNotNegative();
        assertThat(t.column("shardKey").at(i)).isEqualTo(Symbol.of("sym"));
        assertThat(t.column("shards").at(i)).isEqualTo(I64Atom.of(6));
        assertThat(t.column("replication").at(i)).isEqualTo(I64Atom.of(2));
        assertThat(t.column("rows").at(i)).isEqualTo(I64Atom.of(6));

        RayDict d = (RayDict) c.client.execute("(.cluster.describe 'orders)");
        assertThat(d.get("shardKey")).isEqualTo(Symbol.of("sym"));
        RayTable replicas = (RayTable) d.get("replicas");
        assertThat(replicas.rowCount()).isEqualTo(12);
        assertThat(((SymbolVector) replicas.column("state")).toList()).containsOnly("LIVE");
        long copies = 0;
        I64Vector rows = (I64Vector) replicas.column("rows");
        for (int r = 0; r < rows.length(); r++) {
            copies += rows.get(r);
        }
        assertThat(copies).as("every row on 2 replicas").isEqualTo(12);
        RayTable columns = (RayTable) d.get("columns");
        assertThat(((SymbolVector) columns.column("type")).toList()).containsExactly("i64", "symbol", "f64");

        assertThat(c.client.execute("(.cluster.drop 'orders)")).isEqualTo(Symbol.of("orders"));
        assertThat(row(tables(), "orders")).isNegative();
        assertThatThrownBy(() -> c.client.execute("(count orders)")).isInstanceOf(RayforceError.class);
    }

    @Test
    void replicatedTableFromAStringName() {
        c.client.execute("(.cluster.createReplicated \"dims\" " + ROWS + ")");
        RayDict d = (RayDict) c.client.execute("(.cluster.describe 'dims)");
        assertThat(d.get("replicated")).isEqualTo(new BoolAtom(true));
        assertThat(((RayTable) d.get("replicas")).rowCount()).as("one replica per node").isEqualTo(3);
        SameAnswer.assertSame("dims", c.oracle.execute(ROWS), c.client.execute("dims"));
    }

    @Test
    void statusListsTheNodes() {
        RayDict st = (RayDict) c.client.execute("(.cluster.status)");
        RayTable nodes = (RayTable) st.get("nodes");
        assertThat(((SymbolVector) nodes.column("id")).toList()).containsExactlyInAnyOrder("n0", "n1", "n2");
        assertThat(((I64Atom) st.get("epoch")).value()).isPositive();
    }

    @Test
    void throughTheGatewayFromAnIpcClient() {
        assertThat(ipc.execute("(.cluster.create 'viaipc " + ROWS + " 'id 2 2)")).isEqualTo(Symbol.of("viaipc"));
        assertThat(ipc.execute("(insert 'viaipc (list 9 'z 9.5))")).isEqualTo(Symbol.of("viaipc"));
        assertThat(ipc.execute("(count viaipc)")).isEqualTo(I64Atom.of(6));
        assertThat(ipc.execute("(count (set viacopy (select {from: viaipc where: (> px 3.0)})))")).isEqualTo(I64Atom.of(4));
        RayTable t = (RayTable) ipc.execute("(.cluster.tables)");
        assertThat(((SymbolVector) t.column("name")).toList()).contains("viaipc", "viacopy");
        assertThat(ipc.execute("(.cluster.drop 'viacopy)")).isEqualTo(Symbol.of("viacopy"));
        // a refused call answers an error code, and the message is kept for the connection
        assertThatThrownBy(() -> ipc.execute("(.cluster.create 'viaipc2 " + ROWS + " 'nosuch 2 2)")).isInstanceOf(RayforceError.class);
        RayValue why = ipc.execute("(.cluster.lastError)");
        assertThat(((Str) why).value()).contains("shard key nosuch is not a column");
    }

    @Test
    void theReadmeExamplesRun() {
        Differential both = new Differential(c.oracle, c.client);
        String rows = "(table [id sym px] (list [1 2 3] [A B A] [1.5 2.0 3.5]))";
        c.client.execute("(.cluster.create 'rtrades " + rows + " 'sym 8 2)");
        c.oracle.execute("(count (set rtrades " + rows + "))");
        assertThat(c.client.execute("(.cluster.createReplicated 'venues (table [venue name] (list [X Y] [\"Ex\" \"Why\"])))"))
                .isEqualTo(Symbol.of("venues"));
        both.same("(insert 'rtrades (list 4 'C 9.5))");
        both.same("(upsert 'rtrades 2 (list [1 9] [A Z] [10.0 9.0]))");
        both.same("(update {px: (* px 2) from: 'rtrades where: (> px 2.0)})");
        both.same("(delete {from: 'rtrades where: (== sym 'B)})");
        both.same("(count (set rbig (select {from: rtrades where: (> px 3.0)})))");
        both.same("rtrades");
        both.same("rbig");
    }

    @Test
    void badCallsSayWhatIsWrong() {
        assertThatThrownBy(() -> c.client.execute("(.cluster.nope)")).isInstanceOf(UnsupportedQueryError.class)
                .hasMessageContaining("unknown cluster function .cluster.nope").hasMessageContaining(".cluster.create");
        assertThatThrownBy(() -> c.client.execute("(.cluster.create 'x " + ROWS + ")"))
                .hasMessageContaining("wrong number of arguments");
        assertThatThrownBy(() -> c.client.execute("(.cluster.create 'x 42 'id)")).hasMessageContaining("expected a table");
        assertThatThrownBy(() -> c.client.execute("(.cluster.create 'x " + ROWS + " 'id 0)"))
                .hasMessageContaining("shard count as a positive integer");
        assertThatThrownBy(() -> c.client.execute("(.cluster.create 'a__b " + ROWS + " 'id)"))
                .hasMessageContaining("invalid table name");
        assertThatThrownBy(() -> c.client.execute("(.cluster.create 'x " + ROWS + " 'id 2 5)"))
                .as("replication above the live node count").isInstanceOf(ControlPlaneError.class);
        assertThatThrownBy(() -> c.client.execute("(.cluster.drop 'neverwas)")).isInstanceOf(ControlPlaneError.class)
                .hasMessageContaining("neverwas");
        assertThatThrownBy(() -> c.client.execute("(.cluster.load 'neverwas " + ROWS + ")"))
                .hasMessageContaining("no cluster table neverwas");
        assertThat(row(tables(), "x")).isNegative();
    }
}
