package io.jasyncio.net;

import io.jasyncio.testsupport.StressScale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Descriptor exhaustion and recovery, for real (a child JVM under a low {@code ulimit -n}): bursts in
 * which the process has no descriptor left while clients wait in the backlog; after each, every client
 * is served, with one report per burst. Scaled by {@link StressScale}.
 */
@Timeout(600)
class FdExhaustionStressTest {
    @Test
    void repeatedExhaustionBurstsAreEachReportedOnceAndRecovered() throws Exception {
        int scale = StressScale.factor();
        ServerTest.exhaustAndRecover(2 * scale, 10 * scale);
    }
}
