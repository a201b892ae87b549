package io.rayforce.cluster.router.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.router.exec.QueryContext;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A select naming what its table lacks: the engine's own error code, with a message naming the name. */
class UnknownNameTest {
    /** A probe whose evaluation fails as the engine's would. */
    private record Failing(RuntimeException error) implements Plan {
        @Override
        public CompletableFuture<RayValue> run(QueryContext ctx, PlanEnv env) {
            return CompletableFuture.failedFuture(error);
        }

        @Override
        public String describe() {
            return "Failing";
        }

        @Override
        public List<Plan> inputs() {
            return List.of();
        }
    }

    private static RayforceEvaluationError failure(Plan probe) {
        UnknownName plan = new UnknownName(probe, "pxx", "trades", List.of("sym", "px"));
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> Fixed.run(plan));
        assertThat(t).hasCauseInstanceOf(RayforceEvaluationError.class);
        return (RayforceEvaluationError) t.getCause();
    }

    @Test
    void theProbesErrorCodeIsTheAnswersWithAMessageNamingTheName() {
        RayforceEvaluationError e = failure(new Failing(new RayforceEvaluationError("schema", "evaluated by the router")));
        assertThat(e.code()).isEqualTo("schema");
        assertThat(e.getMessage()).contains("'pxx' is not a column of trades (sym px), a function or a table");
        assertThat(failure(new Failing(new RayforceEvaluationError("name", "x"))).code()).isEqualTo("name");
    }

    @Test
    void aProbeThatDoesNotFailWithAnEngineErrorAnswersName() {
        assertThat(failure(new Failing(new IllegalStateException("scratch engine is closed"))).code()).isEqualTo("name");
        assertThat(failure(new Fixed(I64Atom.of(1))).code()).isEqualTo("name");
    }

    @Test
    void explainShowsTheNameTheTableAndTheProbe() {
        UnknownName plan = new UnknownName(new Fixed(null), "pxx", "trades", List.of("sym"));
        assertThat(plan.explain()).isEqualTo("UnknownName 'pxx' in trades: the engine's error over an empty trades\n  Fixed");
        assertThatThrownBy(() -> Fixed.run(plan)).hasCauseInstanceOf(RayforceEvaluationError.class);
    }
}
