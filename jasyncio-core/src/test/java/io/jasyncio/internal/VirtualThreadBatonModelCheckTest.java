package io.jasyncio.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.jetbrains.lincheck.Lincheck;
import org.junit.jupiter.api.Test;

/**
 * The virtual-thread engine's baton ({@link VirtualThreadEngine}), model-checked: Lincheck runs the
 * handoff under many schedules, switching threads at every shared-memory access, including
 * spurious-looking early returns from {@code park}. Issue 11: "the virtual-thread baton".
 */
class VirtualThreadBatonModelCheckTest {

    /**
     * The loop resumes a strand three times; the strand suspends twice and then ends. Exactly one of
     * them runs at any moment: {@code resume} returns only once the strand has suspended or ended,
     * and each side sees what the other wrote in plain fields while it held the baton.
     */
    @Test
    void exactlyOneOfTheLoopAndItsStrandRunsAtATime() {
        Lincheck.runConcurrentTest(1_000, () -> {
            // Platform threads: the model checker cannot schedule virtual ones, and the baton is the same.
            VirtualThreadEngine engine = new VirtualThreadEngine(Thread.ofPlatform().daemon());
            int[] steps = new int[1]; // plain, not volatile: the baton alone orders it
            boolean[] running = new boolean[1];
            Object[] strand = new Object[1];
            strand[0] = engine.newStrand(() -> {
                for (int i = 0; i < 3; i++) {
                    assertFalse(running[0], "the strand runs only while the loop waits");
                    running[0] = true;
                    steps[0]++;
                    running[0] = false;
                    if (i < 2) {
                        engine.suspend(strand[0]);
                    }
                }
            });
            for (int i = 1; i <= 3; i++) {
                engine.resume(strand[0]);
                assertFalse(running[0], "resume returned while the strand still ran");
                assertEquals(i, steps[0], "steps the strand made");
            }
        });
    }
}
