package io.rayforce.cluster.router.globals;

import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.value.BoolAtom;
import io.rayforce.cluster.client.value.I16Atom;
import io.rayforce.cluster.client.value.I32Atom;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayNull;
import io.rayforce.cluster.client.value.RayValue;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * {@code do}, {@code if}, {@code times} and {@code while} holding statements, run form by form as
 * the engine runs them (docs/globals.md, Statements): at the top of a request each form is a
 * request of its own; in the body of a function that writes, each form runs in the function's
 * frame. {@code run} runs one form; {@code deadline} fails a loop that runs past the request's.
 */
final class ControlForms {
    private ControlForms() {
    }

    /** {@code l} run when it is one of the control forms, well formed; null otherwise. */
    static RayValue run(RayList l, UnaryOperator<RayValue> run, Consumer<String> deadline) {
        String head = l.length() > 0 && l.get(0) instanceof Name h ? h.name() : "";
        return switch (head) {
            case "do" -> sequence(l, run);
            case "if" -> l.length() < 3 || l.length() > 4 ? null : conditional(l, run);
            case "times" -> l.length() < 2 ? null : times(l, run, deadline);
            case "while" -> l.length() < 2 ? null : loop(l, run, deadline);
            default -> null;
        };
    }

    /** {@code (do s1 s2 ...)}: each form in order; the last one's answer. */
    private static RayValue sequence(RayList l, UnaryOperator<RayValue> run) {
        RayValue last = RayNull.INSTANCE;
        for (int i = 1; i < l.length(); i++) {
            last = run.apply(l.get(i));
        }
        return last;
    }

    /** {@code (if c a b)}: the condition judged by the engine, then the branch; without one, 0 (the engine's answer). */
    private static RayValue conditional(RayList l, UnaryOperator<RayValue> run) {
        if (truth(l.get(1), run)) {
            return run.apply(l.get(2));
        }
        return l.length() == 4 ? run.apply(l.get(3)) : I64Atom.of(0);
    }

    /** {@code (times n body...)}: n evaluated once, the body run n times; null. */
    private static RayValue times(RayList l, UnaryOperator<RayValue> run, Consumer<String> deadline) {
        RayValue n = run.apply(l.get(1));
        Long count = n instanceof I64Atom i && !i.isNull() ? (Long) i.value() : n instanceof I32Atom i && !i.isNull()
                ? (Long) (long) i.value() : n instanceof I16Atom i && !i.isNull() ? (Long) (long) i.value() : null;
        if (count == null) {
            throw new RayforceEvaluationError("type", "times: the count must be an integer, got " + n);
        }
        for (long k = 0; k < count; k++) {
            deadline.accept("times");
            for (int i = 2; i < l.length(); i++) {
                run.apply(l.get(i));
            }
        }
        return RayNull.INSTANCE;
    }

    /** {@code (while c body...)}: the condition judged by the engine before each pass; null. */
    private static RayValue loop(RayList l, UnaryOperator<RayValue> run, Consumer<String> deadline) {
        while (truth(l.get(1), run)) {
            deadline.accept("while");
            for (int i = 2; i < l.length(); i++) {
                run.apply(l.get(i));
            }
        }
        return RayNull.INSTANCE;
    }

    /** Whether the engine takes {@code condition} as true ({@code if}'s rule: zeros and nulls of every type are false). */
    private static boolean truth(RayValue condition, UnaryOperator<RayValue> run) {
        RayValue v = run.apply(RayList.of(Name.of("if"), condition, BoolAtom.TRUE, BoolAtom.FALSE));
        return v instanceof BoolAtom b && b.value();
    }
}
