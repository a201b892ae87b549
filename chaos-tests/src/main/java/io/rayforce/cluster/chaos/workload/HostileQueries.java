package io.rayforce.cluster.chaos.workload;

import java.util.List;

/**
 * What the hostile client sends throughout every fault run: calls of builtins with side effects,
 * named or reached without their names, in the positions a query has. Each must be answered
 * {@code access} (docs/security.md, the data-path rule); none may end an engine.
 */
public final class HostileQueries {
    public static final List<String> ALL = List.of(
            "(exit 3)",
            "(select {x: (exit 3) from: trades})",
            "(select {from: trades where: (== (exit 3) 1)})",
            "(select {n: (count id) by: {k: (exit 3)} from: trades})",
            "(count (select {x: ('exit 3) from: trades}))",
            "(select {x: ((first [exit]) 3) from: trades})",
            "(left-join [sym] trades (select {sym: sym x: (exit 3) from: sectors}))",
            "(map (fn [y] (exit y)) [1 2])",
            "(eval (parse \"(exit 3)\"))",
            "(.sys.exec \"touch /tmp/hostile\")",
            "(select {x: (.os.getenv \"HOME\") from: trades})",
            "(do (let p \"/etc/passwd\") p.read)",
            "(update {val: (exit 3) from: 'trades})",
            "(delete {from: 'trades where: (== (.log.snapshot) 1)})");

    private HostileQueries() {
    }
}
