package io.jasyncio;

/** Every {@link TimeoutTest} again with eager tasks (asyncio 3.12's eager task factory), as CPython runs them. */
class TimeoutEagerTest extends TimeoutTest {
    @Override
    LoopOptions options() {
        return super.options().withEagerTasks(true);
    }
}
