package io.jasyncio;

/**
 * A child JVM for {@link RunnerTest}: a service whose main sits in a TaskGroup; SIGTERM must cancel
 * it gracefully (every finally runs) and the program then exits with the conventional status 143.
 */
public final class SigtermChild {
    private SigtermChild() {}

    public static void main(String[] args) {
        try {
            Asyncio.run(() -> {
                TaskGroup.run(tg -> {
                    for (int i = 0; i < 2; i++) {
                        String name = "worker " + i;
                        tg.createTask(() -> {
                            try {
                                return Asyncio.sleep(60, null);
                            } finally {
                                System.out.println("finally " + name);
                            }
                        });
                    }
                    System.out.println("ready");
                    System.out.flush();
                });
                return null;
            }, LoopOptions.defaults().withHandleSigterm(true));
        } catch (CancelledError stopped) {
            System.out.println("stopped: " + stopped.getMessage());
            System.out.flush();
            System.exit(143);
        }
    }
}
