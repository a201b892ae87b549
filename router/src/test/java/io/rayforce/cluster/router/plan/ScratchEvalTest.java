package io.rayforce.cluster.router.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.client.rayfall.DataPathGate;
import io.rayforce.cluster.client.rayfall.RayfallReader;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.router.exec.QueryContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A tree evaluated on the router's own engine with its inputs' tables bound to their names (a real native engine). */
class ScratchEvalTest {
    private static ScratchEngine scratch;
    private static ExecutorService blocking;

    @BeforeAll
    static void start() {
        scratch = new ScratchEngine();
        blocking = Executors.newCachedThreadPool();
    }

    @AfterAll
    static void stop() {
        scratch.close();
        blocking.shutdownNow();
    }

    private static Object run(ScratchEval plan) {
        return plan.run(new QueryContext(ClusterSnapshot.empty(), null, false), new PlanEnv(null, scratch, blocking)).join();
    }

    @Test
    void aTreeWithoutTablesIsEvaluated() {
        assertThat(run(new ScratchEval(Map.of(), RayfallReader.read("(+ 1 2)"), "no cluster table"))).isEqualTo(I64Atom.of(3));
    }

    @Test
    void inputTablesAreBoundToTheNamesTheTreeUses() {
        RayTable trades = RayTable.builder().column("sym", SymbolVector.of("a", "b", "a")).column("qty", I64Vector.of(1, 2, 3))
                .build();
        RayTable limits = RayTable.builder().column("sym", SymbolVector.of("a")).column("cap", I64Vector.of(10)).build();
        Map<String, Plan> inputs = new LinkedHashMap<>();
        inputs.put("trades", new Fixed(trades));
        inputs.put("limits", new Fixed(limits));
        ScratchEval plan = new ScratchEval(inputs, RayfallReader.read(
                "(+ (count limits) (at (select {s: (sum qty) by: sym from: trades}) 's))"), "not distributed");
        assertThat(run(plan)).isEqualTo(I64Vector.of(5, 3));
    }

    @Test
    void aTreeThatWouldWriteIsRefusedBeforeItRuns() {
        assertThatThrownBy(() -> new ScratchEval(Map.of(), RayfallReader.read("(set x 1)"), "not distributed"))
                .isInstanceOf(DataPathGate.Refusal.class).hasMessageContaining("'set'");
    }

    @Test
    void explainShowsTheReasonTheTreeAndEachInputUnderItsName() {
        Map<String, Plan> inputs = new LinkedHashMap<>();
        inputs.put("trades", new Project(new Fixed(null), null));
        ScratchEval plan = new ScratchEval(inputs, RayfallReader.read("(count trades)"), "not distributed");
        assertThat(plan.explain()).isEqualTo("ScratchEval (not distributed): (count trades)\n"
                + "  trades <- Project visible columns\n    Fixed");
    }
}
