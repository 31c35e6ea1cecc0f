package io.jasyncio.conformance;

import io.jasyncio.LoopOptions;

/** Every {@link TimeoutsConformanceTest} again with eager tasks, as jasyncio's own Timeout tests run. */
class TimeoutsEagerConformanceTest extends TimeoutsConformanceTest {
    @Override
    LoopOptions options() {
        return super.options().withEagerTasks(true);
    }
}
