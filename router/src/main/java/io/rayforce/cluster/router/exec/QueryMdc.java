package io.rayforce.cluster.router.exec;

import java.util.Map;
import java.util.function.BiConsumer;
import org.slf4j.MDC;

/**
 * The query id in the logging context (SLF4J's MDC, key {@value #KEY}), so every log line of a
 * query carries it: set on the thread that runs the query, and carried into the callbacks its
 * shard work completes on (network threads).
 */
public final class QueryMdc {
    /** The MDC key; JSON logs have it as a field, the text pattern prints it. */
    public static final String KEY = "query";

    private QueryMdc() {
    }

    /** {@code action}, run with the logging context of the thread that called this. */
    public static <T> BiConsumer<T, Throwable> carrying(BiConsumer<T, Throwable> action) {
        Map<String, String> captured = MDC.getCopyOfContextMap();
        if (captured == null || captured.isEmpty()) {
            return action;
        }
        return (value, error) -> {
            Map<String, String> before = MDC.getCopyOfContextMap();
            MDC.setContextMap(captured);
            try {
                action.accept(value, error);
            } finally {
                if (before == null) {
                    MDC.clear();
                } else {
                    MDC.setContextMap(before);
                }
            }
        };
    }
}
