package io.jasyncio.testsupport;

/**
 * The threads of a model-checked scenario ({@code *ModelCheckTest}): waiting for them inside the
 * checked lambda, where a checked {@code InterruptedException} cannot be thrown.
 */
public final class ScenarioThreads {
    private ScenarioThreads() {}

    /** Waits for each thread to end; an interrupt fails the scenario. */
    public static void join(Thread... threads) {
        try {
            for (Thread t : threads) {
                t.join();
            }
        } catch (InterruptedException e) {
            throw new AssertionError("interrupted while waiting for the scenario's threads", e);
        }
    }
}
