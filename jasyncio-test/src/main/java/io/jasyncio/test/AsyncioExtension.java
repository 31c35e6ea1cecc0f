package io.jasyncio.test;

import io.jasyncio.Asyncio;
import io.jasyncio.ExceptionContext;
import io.jasyncio.LoopOptions;
import io.jasyncio.Runner;
import io.jasyncio.Task;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.opentest4j.AssertionFailedError;

/**
 * Runs each {@link AsyncioTest} method as the main task of a fresh loop (see there for the rules).
 * Usable directly with {@code @ExtendWith(AsyncioExtension.class)} on plain {@code @Test} methods,
 * which then get the defaults (virtual time, strict teardown).
 *
 * <p>Threading: the test method runs on the loop's thread (continuation engine) or on its task's
 * virtual thread (virtual-thread engine); JUnit waits for it on its own thread.
 */
public final class AsyncioExtension implements InvocationInterceptor {

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
                                    ExtensionContext extensionContext) throws Throwable {
        AsyncioTest settings = invocationContext.getExecutable().getAnnotation(AsyncioTest.class);
        boolean virtualTime = settings == null || settings.virtualTime();
        boolean strict = settings == null || settings.failOnPendingTasks();
        List<ExceptionContext> reported = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        LoopOptions options = LoopOptions.defaults().withVirtualTime(virtualTime).withHandleSigint(false);
        try (Runner runner = new Runner(options)) {
            runner.getLoop().setExceptionHandler((loop, ctx) -> reported.add(ctx));
            runner.run(() -> {
                try {
                    invocation.proceed();
                } catch (Exception | Error e) {
                    throw e; // assertion failures and the test's own exceptions, unchanged
                } catch (Throwable other) {
                    throw new IllegalStateException(other);
                }
                for (Task<?> t : Asyncio.allTasks()) {
                    if (t != Asyncio.currentTask()) {
                        pending.add(t.toString());
                    }
                }
                return null;
            });
        }
        if (strict && !pending.isEmpty()) {
            throw new AssertionFailedError("tasks still pending when the test ended (they were cancelled): " + pending);
        }
        if (!reported.isEmpty()) {
            ExceptionContext first = reported.get(0);
            AssertionFailedError e = new AssertionFailedError("the event loop reported " + reported.size()
                    + " error(s) nobody handled; first: " + first.message(), first.exception());
            for (int i = 1; i < reported.size(); i++) {
                if (reported.get(i).exception() != null) {
                    e.addSuppressed(reported.get(i).exception());
                }
            }
            throw e;
        }
    }
}
