package io.jasyncio;

/** Every {@link TaskGroupTest} again with eager tasks (asyncio 3.12's eager task factory), as CPython runs them. */
class TaskGroupEagerTest extends TaskGroupTest {
    @Override
    LoopOptions options() {
        return super.options().withEagerTasks(true);
    }
}
