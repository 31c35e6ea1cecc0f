package io.jasyncio.conformance;

import io.jasyncio.LoopOptions;

/** Every {@link TaskGroupsConformanceTest} again with eager tasks: CPython's TestEagerTaskTaskGroup. */
class TaskGroupsEagerConformanceTest extends TaskGroupsConformanceTest {
    @Override
    LoopOptions options() {
        return super.options().withEagerTasks(true);
    }
}
