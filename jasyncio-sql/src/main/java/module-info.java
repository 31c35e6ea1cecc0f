/**
 * jasyncio-sql: database access from jasyncio tasks over JDBC. Start at {@link io.jasyncio.sql.Database}.
 */
module io.jasyncio.sql {
    requires transitive io.jasyncio;
    requires transitive java.sql;
    requires static org.postgresql.jdbc; // LISTEN/NOTIFY only; the driver is optional
    exports io.jasyncio.sql;
}
