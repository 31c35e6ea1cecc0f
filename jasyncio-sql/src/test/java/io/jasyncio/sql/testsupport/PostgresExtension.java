package io.jasyncio.sql.testsupport;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a {@link PostgresServer} parameter: one server per test run (JVM), started on first
 * use and stopped when the run ends (JUnit closes it with the root store). Where no server can be
 * had the test is skipped with the reason; where one should start and does not, the test fails.
 */
public final class PostgresExtension implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
        return p.getParameter().getType() == PostgresServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext c) {
        String reason = PostgresServer.unavailableReason();
        Assumptions.assumeTrue(reason == null, () -> "PostgreSQL tests skipped: " + reason);
        return c.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).getOrComputeIfAbsent(PostgresServer.class, k -> {
            try {
                return PostgresServer.start();
            } catch (Exception e) {
                throw new IllegalStateException("could not start PostgreSQL for the tests: " + e.getMessage(), e);
            }
        }, PostgresServer.class);
    }
}
