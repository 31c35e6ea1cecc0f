package io.jasyncio.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasyncio.test.StrictLoop;
import org.junit.jupiter.api.Test;

/** The Javadoc's examples run and do what the documentation says. */
class ApiSnippetsTest {

    @Test
    void runAndGatherReturnsBothResults() {
        assertThat(ApiSnippets.runAndGather()).isEqualTo("ab");
    }

    @Test
    void theTimeoutExampleTimesOut() {
        assertThat(StrictLoop.run(StrictLoop.virtualTime(), ApiSnippets::deadline)).isEqualTo("(timed out)");
    }

    @Test
    void theTaskGroupExampleFetchesEveryPage() {
        assertThat(StrictLoop.run(StrictLoop.virtualTime(), ApiSnippets::group)).containsExactlyInAnyOrder("a", "b", "c");
    }

    @Test
    void theLockExampleLosesNoUpdate() {
        assertThat(StrictLoop.run(StrictLoop.virtualTime(), ApiSnippets::lock)).isEqualTo(3);
    }

    @Test
    void theQueueExampleHandlesEveryJobInOrder() {
        assertThat(StrictLoop.run(StrictLoop.virtualTime(), ApiSnippets::queue)).hasSize(25).isSorted();
    }

    @Test
    void theClientExampleGetsItsLineEchoed() {
        assertThat(StrictLoop.run(StrictLoop.realTime(), ApiSnippets::echo)).isEqualTo("ping");
    }

    @Test
    void theProcessExampleCollectsTheChildsOutput() {
        assertThat(StrictLoop.run(StrictLoop.realTime(), ApiSnippets::grep)).isEqualTo("x1\nx2\nexit 0");
    }

    @Test
    void theServerScopeExampleEndsWithItsHandlers() {
        assertThat(StrictLoop.run(StrictLoop.realTime(), ApiSnippets::serverScope)).isEqualTo("bye");
    }

    @Test
    void theChannelExampleReceivesEverythingThenEnds() {
        assertThat(StrictLoop.run(StrictLoop.virtualTime(), ApiSnippets::channel)).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void theSelectExampleTakesTheReadyChannelThenTimesOut() {
        assertThat(StrictLoop.run(StrictLoop.virtualTime(), ApiSnippets::select)).containsExactly("news rates up", "quiet");
    }
}
