package io.jasyncio.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The W3y breakdown runs its four variants and reports a positive median for each (no figure is asserted). */
@Timeout(120)
class W3yBreakdownTest {

    @Test
    void eachVariantReportsAMedianPerTask() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            W3yBreakdown.main(new String[] {"0", "1"});
        } finally {
            System.setOut(out);
        }
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(4);
        Pattern line = Pattern.compile("\"variant\": \"([a-z-]+)\", \"median\": ([0-9.]+), \"unit\": \"ns/task\"");
        List<String> variants = lines.stream().map(l -> {
            Matcher m = line.matcher(l);
            assertThat(m.find()).as(l).isTrue();
            assertThat(Double.parseDouble(m.group(2))).as(l).isPositive();
            return m.group(1);
        }).toList();
        assertThat(variants).containsExactly("no-yield", "yield", "done-callbacks", "gather");
    }
}
