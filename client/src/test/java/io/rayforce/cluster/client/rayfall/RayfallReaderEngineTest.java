package io.rayforce.cluster.client.rayfall;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.testing.EngineExtension;
import io.rayforce.cluster.client.value.RayValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reader against the engine's own reader ({@code (ser (parse "src"))}): the same tree, with
 * the name/symbol flags, or the same error code, for chosen cases and for random token soup.
 */
class RayfallReaderEngineTest {
    @RegisterExtension
    static final EngineExtension engine = new EngineExtension();

    static Stream<String> cases() {
        return Stream.of(
                "(+ x 1)", "'a", "(quote a)", "{a: 1 b: x}", "[a b]", "[1 2.0]", "'", "' ", "1 2", "{}", "()", "(list)", "[]",
                "\"ab\"", "true", "false", "null", "0N", "-0x01", "1e", "(- 5 -2)", "-x", "a.b", "'a.b", "{1: 2}", "{\"a\": 1}",
                "(fn [x] (+ x 1))", "(fn [] 1)", "'a'", "\"a\\x\"", "\"\\101\"", "0x100", "0xff", "1h", "1i", "1.5e", "1e3",
                "12345678901234567890", "-9223372036854775808", "9223372036854775807", ".5", "0Nh", "0Nl", "0Ne", "0Nf", "0Nd",
                "0Nt", "0Np", "0Ng", "2024.01.15", "2024.02.30", "09:30:00.5", "25:00:00.000", "-09:30:00.000",
                "2024.01.15D09:30:00.1", "2024.01.15D09:30:00.1234567891", "09:30:00.1234", "#!x", "# hash", "a#b",
                "a;comment", "[1 -2]", "[0Ng]", "[1 0N 3]", "[\"x\" \"y\"]", "[true false]", "[a 'b]", "a\"b\"", "(a)(b)",
                "\"a\"\"b\"", "(a(b))", "[1][2]", ":b", "(list :b)", "{a :1}", "{a:1}", "{1.5: 2}", "{\"x\" : 2}",
                "{a: 1 \"b\": 2}", "{\"a\": 1 b: 2}", "{a: 1 1: 2}", "{a.b: 1}", "{-1: 2}", "{2024.01.01: 1}", "{true: 1}",
                "{null: 1}", "{a: 1 a: 2}", "{a:b c:d}", "{a: [1 2]}", "{a: 'x}", "{a: {b: 1}}", "[a,b]", "0x1234567890abcdef",
                "1E5", "1e+3", "1e-3", "-1.5e", "-0", "-0.0", "00012", "1e3e", "[1.0e 2e]", "[1 0Nf]", "[0Nf 1]", "[0N 1.5]",
                "[0Ni 1i]", "[1h 0Nh]", "[a null]", "['a ']", "'1abc", "'-", "'\\n'", "'\\q'", "'\\101'", "\"a\\nb\"",
                "\"\\777\"", "\"\\08\"", "1e400", "-1e400", "0.1", "123456789012345678901234567890.5",
                "12345678901234567890123456789012345678901e", "2".repeat(330), "-" + "2".repeat(330), "-0e",
                "[-0e 1e]", "-0.0e",
                // timespans: the difference of two timestamps, and their literals
                "0D00:00:01.000000000", "1D", "-1D00:00:00.000000001", "1D02:03:04", "1D02:03:04.5", "12D02:03:04.123", "0Nn",
                "[0D00:00:01.000000000 0Nn]", "1D25:03:04.000000000", "123456D00:00:00.000000000", "0D00:00:00.0000000001",
                "1D2:03:04.5", "1D02:60:04.000000000", "1D02:03:60", "[1D 2]",
                "(select {from: t where: (> px 1)})",
                "(select {s: (sum qty) by: {sym: sym} from: t where: (== sym 'A) desc: s take: 2})",
                // errors
                "", "   ", "; only", "(+ 1", ")", "(+ 1 2))", "\"abc", "{a: 1", "[1 2", "1.2.3", "2024.13.01", "`a", "1.",
                "1.5f", "0Ns", "0Nx", "0N0", "1l", "1abc", "'ab'", "''", "':k", "a:b", "'a:b", "a'b", "é", "1-2", "[1,2]",
                "{a: 1, b: 2}", "{a: 1 b}", "{a: }", "{a 1}", "{'a: 1}", "{(a): 1}", "09:30", "2024.01.15D09:30:00",
                "2024.01.15D25:00:00.0", "0x", "0xg", "0X1", "1.5E", "1.5h", "0x1234567890abcdef1", "9223372036854775808h",
                // domain errors
                "[1 a]", "[1h 2]", "[1i 2]", "[1 1e]", "[true 1]", "[1 2 0Ni]", "[(+ 1 2) 4]", "[[1 2] [3 4]]", "['a \"b\"]",
                "[0Nh 2.0]", "32768h", "2147483648i", "-32768h", "[a {b: 1}]");
    }

    @ParameterizedTest(name = "[{index}] <{0}>")
    @MethodSource("cases")
    void sameTreeOrSameErrorAsTheEngine(String source) {
        assertThat(EngineParser.ours(source)).isEqualTo(EngineParser.parse(engine.client(), source));
    }

    static final String[] FRAGMENTS = {"(", ")", "[", "]", "{", "}", "a", "b1", "'x", "'", ":", ":k", "1", "-2", "1.5", "1e",
        "2h", "3i", "0x1f", "0N", "0Nf", "0Nh", "\"s\"", "\"a\\\"b\"", "2024.01.15", "09:30:00.5", "2024.01.15D09:30:00.1",
        "true", "null", ";c\n", " ", " ", " ", "\n", "+", "-", "a.b", "k:", ",", "1e3", "-0.5", "'a'", "0Ng", "false", "\"\"",
        "select", "{a: 1}", "[1 2]", "x", "-x", "12345678901234567890", "1.0e", "0xff", "\\", "#", "@", "$", "\"k\":", "1:",
        "{1h: 2}", "\"\\101\\q\\n\\t\\0\"", "\"é日\"", "é", "`", "2024.02.30", "2024.13.01", "2024.01.32",
        "2024.01.15D23:59:59.999999999999", "2024.01.15D", "-09:30:00.000", "99:99:99", "09:30", "1.", ".5", "1E5", "1.5E",
        "0x", "0x123", "-0x01", "0Nx", "0Ne", "0Nd", "0Nt", "0Np", "32768h", "'1abc", "'a'b", "'\\n'", "'\\q'", "'\\1'",
        "(fn [x] (+ x 1))", "(quote (+ a 'b))", "{a: (+ 1 2) b: 'x c: [1 2]}", "{}", "()", "[]", "[a 'b ']", "1e400",
        "-0.0", "9223372036854775808", "\t", "\r\n", "2024.01.15D09:30:00.", "09:30:00.", "[0Ng 0Ng]", "[1.5e 0Ne]",
        "{\"a\": 1 b: 2}", "(list :b)", "1D", "2D01:02:03.5", "-0D00:00:01.000000000", "0Nn", "1D02:03"};

    /** Random token soup, often without spaces between tokens: every source reads as the engine reads it. */
    @Test
    void randomSourcesReadAsTheEngineReadsThem() {
        Random random = new Random(20240115);
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = 1 + random.nextInt(10);
            for (int j = 0; j < n; j++) {
                sb.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
                if (random.nextInt(3) > 0) {
                    sb.append(' ');
                }
            }
            String src = sb.toString();
            Object theirs = EngineParser.parse(engine.client(), src);
            Object ours = EngineParser.ours(src);
            if (!theirs.equals(ours)) {
                mismatches.add(src + " -> engine " + theirs + ", ours " + ours);
            }
        }
        assertThat(mismatches).isEmpty();
    }

    /** The tree we read, sent as binary, evaluates to what the text evaluates to. */
    @ParameterizedTest(name = "[{index}] <{0}>")
    @MethodSource("evaluated")
    void readTreeEvaluatesLikeTheText(String source) {
        engine.client().execute("(count (set t (table [id sym px] (list [1 2 3] [A B A] [1.0 2.0 3.0]))))");
        RayValue tree = RayfallReader.read(source);
        assertThat(engine.client().execute(tree)).isEqualTo(engine.client().execute(source));
    }

    static Stream<String> evaluated() {
        return Stream.of("(+ 1 2)", "(select {from: t where: (> px 1.5)})", "(select {s: (sum px) by: sym from: t})",
                "[1 2.5]", "{a: (+ 1 2)}", "(at t 'px)", "(til 3) (count t)", "(list 'a \"b\" 2024.01.15)",
                "((fn [x] (* x 2)) 21)", "(quote (+ a 'b))");
    }
}
