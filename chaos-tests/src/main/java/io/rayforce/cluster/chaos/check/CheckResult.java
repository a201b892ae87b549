package io.rayforce.cluster.chaos.check;

import java.util.List;

/**
 * What the checker found in one run's history.
 *
 * @param readsChecked       ok reads compared with the oracle
 * @param wrongAnswers       ok reads whose answer no oracle state explains (silently partial ones included)
 * @param partialAnswers     the wrong answers that had fewer rows than the oracle: silently partial
 * @param lostWrites         acknowledged writes missing from the final state
 * @param duplicatedWrites   acknowledged writes present more than once (or applied twice)
 * @param infoPresent        info writes found applied exactly once
 * @param infoAbsent         info writes found not applied
 * @param infoUnresolved     info writes neither present once nor absent (duplicated or mangled)
 * @param hostileRefused     hostile queries refused with {@code access}
 * @param hostileNotRefused  hostile queries answered, or refused with another engine error code
 * @param examples           a few of the anomalies, described
 * @param details            for those anomalies: the whole answer and the oracle state it was compared with
 */
public record CheckResult(int readsChecked, int wrongAnswers, int partialAnswers, int lostWrites, int duplicatedWrites,
                          int infoPresent, int infoAbsent, int infoUnresolved, int hostileRefused, int hostileNotRefused,
                          List<String> examples,
                          List<String> details) {
    /** Both checks' findings together. */
    public static CheckResult sum(CheckResult a, CheckResult b) {
        List<String> examples = new java.util.ArrayList<>(a.examples);
        examples.addAll(b.examples);
        List<String> details = new java.util.ArrayList<>(a.details);
        details.addAll(b.details);
        return new CheckResult(a.readsChecked + b.readsChecked, a.wrongAnswers + b.wrongAnswers, a.partialAnswers + b.partialAnswers,
                a.lostWrites + b.lostWrites, a.duplicatedWrites + b.duplicatedWrites, a.infoPresent + b.infoPresent,
                a.infoAbsent + b.infoAbsent, a.infoUnresolved + b.infoUnresolved, a.hostileRefused + b.hostileRefused,
                a.hostileNotRefused + b.hostileNotRefused, List.copyOf(examples), List.copyOf(details));
    }

    /** No wrong or partial answer, no lost or duplicated write, every info write resolved, every hostile query refused. */
    public boolean valid() {
        return wrongAnswers == 0 && partialAnswers == 0 && lostWrites == 0 && duplicatedWrites == 0 && infoUnresolved == 0
                && hostileNotRefused == 0;
    }
}
