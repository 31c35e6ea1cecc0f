package io.jasyncio.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DatabaseUrlTest {
    @Test
    void sqliteShorthandBecomesAJdbcUrl() {
        DatabaseUrl u = DatabaseUrl.parse("sqlite:crawl.db");
        assertThat(u.jdbcUrl()).isEqualTo("jdbc:sqlite:crawl.db");
        assertThat(u.kind()).isEqualTo(DatabaseUrl.Kind.SQLITE);
        assertThat(DatabaseUrl.parse("jdbc:sqlite::memory:").kind()).isEqualTo(DatabaseUrl.Kind.SQLITE);
    }

    @Test
    void postgresUrlsMoveCredentialsIntoPropertiesAndHideThePassword() {
        DatabaseUrl u = DatabaseUrl.parse("postgresql://crawler:s%40cret@db.local:5433/pages?sslmode=disable");
        assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://db.local:5433/pages?sslmode=disable");
        assertThat(u.credentials()).isEqualTo(Map.of("user", "crawler", "password", "s@cret"));
        assertThat(u.display()).isEqualTo("postgresql://crawler@db.local:5433/pages?sslmode=disable").doesNotContain("cret");
        assertThat(DatabaseUrl.parse("postgres://h/db").kind()).isEqualTo(DatabaseUrl.Kind.POSTGRESQL);
        assertThat(DatabaseUrl.parse("jdbc:postgresql://h/db?user=a&password=b").display()).contains("password=***").doesNotContain("=b");
    }

    @Test
    void unusableUrlsAreRejectedWithTheReason() {
        assertThatThrownBy(() -> DatabaseUrl.parse(null)).isInstanceOf(DatabaseUrlException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> DatabaseUrl.parse("crawl.db")).isInstanceOf(DatabaseUrlException.class).hasMessageContaining("sqlite:FILE");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://u:pw@/")).isInstanceOf(DatabaseUrlException.class).hasMessageContaining("names no host")
                .hasMessageNotContaining("pw");
        assertThatThrownBy(() -> DatabaseUrl.parse("jdbc:mysql://h/db")).isInstanceOf(DatabaseUrlException.class).hasMessageContaining("no JDBC driver");
    }

    @Test
    void readOnlyStatementsAreRecognisedByTheirFirstKeyword() {
        assertThat(Database.isRead("  select 1")).isTrue();
        assertThat(Database.isRead("-- count\n/* all */ (SELECT count(*) FROM t)")).isTrue();
        assertThat(Database.isRead("WITH x AS (SELECT 1) SELECT * FROM x")).isTrue();
        assertThat(Database.isRead("VALUES (1)")).isTrue();
        assertThat(Database.isRead("INSERT INTO t VALUES (1) RETURNING id")).isFalse();
        assertThat(Database.isRead("PRAGMA journal_mode")).isFalse();
        assertThat(Database.isRead("selectx")).isFalse();
    }
}
