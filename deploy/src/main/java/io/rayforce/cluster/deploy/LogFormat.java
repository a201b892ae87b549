package io.rayforce.cluster.deploy;

import java.util.Locale;

/**
 * How {@code rfc} writes its log (docs/operations.md): {@code text} lines, or {@code json}, one
 * JSON object per line (logstash-logback-encoder: timestamp, level, logger, thread, message, the
 * MDC, among it a query's {@code query} id, and the stack trace). Chosen with {@code --log-format}
 * or {@code RFC_LOG_FORMAT}, and handed to logback.xml as the system property
 * {@value #PROPERTY} before the first log line, when logback reads its configuration.
 */
final class LogFormat {
    /** The property logback.xml picks its appender with. */
    static final String PROPERTY = "RFC_LOG_FORMAT";

    private LogFormat() {
    }

    /** Sets the property from {@code args} (the flag wins), else the environment; {@code text} when neither says. */
    static void choose(String[] args) {
        String chosen = System.getenv(PROPERTY);
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--log-format") && i + 1 < args.length) {
                chosen = args[i + 1];
            } else if (args[i].startsWith("--log-format=")) {
                chosen = args[i].substring("--log-format=".length());
            }
        }
        System.setProperty(PROPERTY, normalize(chosen));
    }

    /** {@code json} or {@code text} (anything else is text; the flag itself refuses it). */
    static String normalize(String format) {
        return format != null && format.trim().toLowerCase(Locale.ROOT).equals("json") ? "json" : "text";
    }
}
