package io.jasyncio.test;

import io.jasyncio.LoopOptions;
import java.lang.reflect.Method;
import java.time.Duration;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * Runs each {@link AsyncioTest} method as the main task of a fresh loop through {@link StrictLoop}
 * (see there for what fails a test). Usable directly with {@code @ExtendWith(AsyncioExtension.class)}
 * on plain {@code @Test} methods, which then get the defaults (virtual time, strict teardown). A test
 * method may take an {@link Expect} parameter: it gets a fresh one, and the test fails if it reached
 * a step but never finished.
 *
 * <p>Threading: the test method runs on the loop's thread (continuation engine) or on its task's
 * virtual thread (virtual-thread engine); JUnit waits for it on its own thread.
 */
public final class AsyncioExtension implements InvocationInterceptor, ParameterResolver {
    /** {@link AsyncioTest#timeout()}'s default, also for plain {@code @Test} methods using the extension. */
    private static final double DEFAULT_TIMEOUT_SECONDS = 60;
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(AsyncioExtension.class);

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
                                    ExtensionContext extensionContext) throws Throwable {
        AsyncioTest settings = invocationContext.getExecutable().getAnnotation(AsyncioTest.class);
        boolean virtualTime = settings == null || settings.virtualTime();
        boolean failOnPending = settings == null || settings.failOnPendingTasks();
        double timeoutSeconds = settings == null ? DEFAULT_TIMEOUT_SECONDS : settings.timeout();
        if (!(timeoutSeconds >= 0)) {
            throw new IllegalArgumentException("@AsyncioTest(timeout = " + timeoutSeconds + "): the timeout must be 0 (none) or"
                    + " a positive number of seconds");
        }
        LoopOptions options = virtualTime ? StrictLoop.virtualTime() : StrictLoop.realTime();
        StrictLoop.run(options, failOnPending, Duration.ofNanos((long) (timeoutSeconds * 1e9)), () -> {
            try {
                invocation.proceed();
            } catch (Exception | Error e) {
                throw e; // assertion failures and the test's own exceptions, unchanged
            } catch (Throwable other) {
                throw new IllegalStateException(other);
            }
            return null;
        });
        Expect expect = extensionContext.getStore(NAMESPACE).get(Expect.class, Expect.class);
        if (expect != null) {
            expect.assertFinished();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == Expect.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return extensionContext.getStore(NAMESPACE).getOrComputeIfAbsent(Expect.class, k -> new Expect(), Expect.class);
    }
}
