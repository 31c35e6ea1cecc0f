package io.jasyncio.examples.tour;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.LoopOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each chapter's demonstrated effect, asserted on the virtual clock (exact and instant). */
@Timeout(60)
class TourTest {
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final Out out = new Out(new PrintStream(printed, true, StandardCharsets.UTF_8), false);
    private final LoopOptions virtual = LoopOptions.defaults().virtualTime(true).handleSigint(false);

    private String text() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void coroutinesInterleaveAtSuspensionPoints() {
        @SuppressWarnings("unchecked")
        List<String> events = (List<String>) Tour.runChapter(1, out, true, virtual);
        assertThat(events).containsExactly("A1", "B1", "A2", "B2", "A3", "B3");
        assertThat(text()).contains("Chapter 1. Coroutines").contains("suspension point").contains("Takeaway:");
    }

    @Test
    void awaitInSequenceAddsWaitsAndConcurrentTasksOverlapThem() {
        double[] t = (double[]) Tour.runChapter(2, out, false, virtual);
        assertThat(t[0]).isBetween(1.0, 1.01);
        assertThat(t[1]).isBetween(0.5, 0.51);
    }

    @Test
    void tenRequestsOverlapToTheTimeOfOne() {
        double[] t = (double[]) Tour.runChapter(3, out, false, virtual);
        assertThat(t[0]).isBetween(2.0, 2.01);
        assertThat(t[1]).isBetween(0.2, 0.21);
        assertThat(text()).contains("[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]");
    }

    @Test
    void unknownChapterIsOneClearError() {
        assertThatThrownBy(() -> Tour.runChapter(99, out, false, virtual))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no chapter 99");
    }

    @Test
    void noColorsWhenNotATerminal() {
        Tour.runChapter(3, out, false, virtual);
        assertThat(text()).doesNotContain("\u001b[");
    }
}
