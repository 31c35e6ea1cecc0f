package io.jasyncio.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.Asyncio;
import io.jasyncio.ExceptionContext;
import io.jasyncio.test.StrictLoop;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one write flow control every transport shares: its Javadoc is the contract tested here. */
class WriteFlowControlTest {

    /** Records the callbacks as "pause"/"resume". */
    private static WriteFlowControl recording(List<String> calls, int[] below) {
        return new WriteFlowControl(Asyncio.getRunningLoop(), () -> calls.add("pause"), () -> calls.add("resume"), () -> below[0]);
    }

    @Test
    void pausesAboveTheHighMarkAndResumesAtTheLowOneOnceEach() {
        StrictLoop.run(StrictLoop.virtualTime(), () -> {
            List<String> calls = new ArrayList<>();
            WriteFlowControl flow = recording(calls, new int[1]);
            flow.setLimits(100, 40);
            flow.add(100);
            assertThat(calls).as("at the mark is not above it").isEmpty();
            flow.add(1);
            flow.add(500);
            assertThat(calls).containsExactly("pause");
            assertThat(flow.isPaused()).isTrue();
            flow.remove(500);
            flow.remove(60);
            assertThat(calls).as("above the low mark still").containsExactly("pause");
            flow.remove(1);
            assertThat(flow.size()).isEqualTo(40);
            assertThat(calls).containsExactly("pause", "resume");
            flow.remove(40);
            assertThat(calls).containsExactly("pause", "resume");
            return null;
        });
    }

    @Test
    void theLayerBelowCountsAndARecheckNoticesIt() {
        StrictLoop.run(StrictLoop.virtualTime(), () -> {
            List<String> calls = new ArrayList<>();
            int[] below = {0};
            WriteFlowControl flow = recording(calls, below);
            flow.setLimits(100, 10);
            flow.add(50);
            below[0] = 80;
            flow.recheck();
            assertThat(flow.size()).isEqualTo(130);
            assertThat(flow.ownSize()).isEqualTo(50);
            assertThat(calls).containsExactly("pause");
            flow.remove(50);
            below[0] = 10;
            flow.recheck();
            assertThat(calls).containsExactly("pause", "resume");
            return null;
        });
    }

    @Test
    void newLimitsApplyAtOnce() {
        StrictLoop.run(StrictLoop.virtualTime(), () -> {
            List<String> calls = new ArrayList<>();
            WriteFlowControl flow = recording(calls, new int[1]);
            flow.add(1000);
            assertThat(calls).isEmpty(); // under the default 64 KiB
            flow.setLimits(500, 100);
            assertThat(calls).containsExactly("pause");
            flow.setLimits(2000, 1000);
            assertThat(calls).containsExactly("pause", "resume");
            return null;
        });
    }

    @Test
    void clearingDropsTheCountWithoutAResume() {
        StrictLoop.run(StrictLoop.virtualTime(), () -> {
            List<String> calls = new ArrayList<>();
            WriteFlowControl flow = recording(calls, new int[1]);
            flow.add(WriteFlowControl.DEFAULT_HIGH + 1);
            flow.clear();
            assertThat(flow.size()).isZero();
            assertThat(flow.isPaused()).isFalse();
            assertThat(calls).containsExactly("pause");
            return null;
        });
    }

    @Test
    void badInputFailsAtTheCall() {
        StrictLoop.run(StrictLoop.virtualTime(), () -> {
            WriteFlowControl flow = recording(new ArrayList<>(), new int[1]);
            assertThatThrownBy(() -> flow.setLimits(10, 20)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("low <= high");
            assertThatThrownBy(() -> flow.setLimits(-1, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> flow.add(-1)).isInstanceOf(IllegalArgumentException.class);
            flow.add(5);
            assertThatThrownBy(() -> flow.remove(6)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot remove 6 of 5");
            assertThat(flow.size()).isEqualTo(5);
            return null;
        });
    }

    @Test
    void aThrowingCallbackIsReportedAndTheStateStillChanges() {
        List<ExceptionContext> reported = StrictLoop.runCollecting(StrictLoop.virtualTime(), () -> {
            WriteFlowControl flow = new WriteFlowControl(Asyncio.getRunningLoop(),
                    () -> { throw new IllegalStateException("broken protocol"); }, () -> {});
            flow.add(WriteFlowControl.DEFAULT_HIGH + 1);
            assertThat(flow.isPaused()).isTrue();
            return null;
        });
        assertThat(reported).singleElement().satisfies(ctx -> {
            assertThat(ctx.message()).isEqualTo("protocol.pauseWriting() failed");
            assertThat(ctx.exception()).hasMessage("broken protocol");
        });
    }
}
