package io.rayforce.cluster.chaos.report;

import io.rayforce.cluster.chaos.check.CheckResult;
import java.util.List;
import java.util.Map;

/**
 * The report of one fault run.
 *
 * @param fault            the fault's name
 * @param description      what was done, with its targets
 * @param profile          short or soak
 * @param durationMillis   the whole run, workload start to check
 * @param operations       operations recorded
 * @param outcomes         ok/fail/info counts over the whole run
 * @param duringFault      ok/fail/info counts of operations sent while the fault was held
 * @param byKind           operations per kind (select, group-by, join, ledger read, insert, upsert, update)
 * @param okByClient       ok operations per kind of client (java-reader, python-reader, writer)
 * @param check            what the checker found
 * @param recoveryMillis   from the fault's end until a read and a write sent after it were both answered ok; -1 if never
 * @param healthMillis     from the fault's end until every container was healthy again; -1 if never
 * @param engineRestarts   engines that went down alone and were restarted by their node agent during the run (the
 *                         faults never do that: kill-node kills the agent with its engine); must be 0
 * @param topErrors        the most frequent errors, with counts
 * @param failedReads      failed reads per kind of reader (java-reader: the Java TCPClient failing over between the
 *                         gateways; python-reader: rayforce-py through HAProxy), hostile queries left out
 * @param longestReadMillis the longest an ok read sent after the fault was injected took (a stall, e.g. behind a dead
 *                         writer)
 */
public record FaultReport(String fault, String description, String profile, long durationMillis, int operations,
                          Map<String, Integer> outcomes, Map<String, Integer> duringFault, Map<String, Integer> byKind,
                          Map<String, Integer> okByClient, CheckResult check, long recoveryMillis, long healthMillis, int engineRestarts,
                          List<String> topErrors, Map<String, Integer> failedReads, long longestReadMillis) {
    public boolean recovered() {
        return recoveryMillis >= 0 && healthMillis >= 0;
    }
}
