package com.example;

import static io.jasyncio.Asyncio.getRunningLoop;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jasyncio.test.AsyncioTest;

class MainTest {
    /** On the virtual clock the two one-second fetches overlap: one virtual second passes, not two. */
    @AsyncioTest
    void fetchesRunConcurrently() {
        double start = getRunningLoop().time();
        assertEquals("ab", Main.fetchBoth());
        assertEquals(1.0, getRunningLoop().time() - start, 0.01);
    }

    /** The starter's build gives tests the fast engine (the flag is in Surefire's argLine). */
    @AsyncioTest
    void runsOnTheContinuationEngine() {
        assertEquals("continuation", getRunningLoop().engine());
    }
}
