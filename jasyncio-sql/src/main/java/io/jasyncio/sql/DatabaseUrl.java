package io.jasyncio.sql;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A database URL as the user wrote it, resolved to a JDBC URL and the kind of database behind it.
 *
 * <table>
 * <caption>Accepted forms</caption>
 * <tr><th>written</th><th>JDBC URL</th></tr>
 * <tr><td>{@code sqlite:crawl.db}, {@code sqlite::memory:}</td><td>{@code jdbc:sqlite:crawl.db}</td></tr>
 * <tr><td>{@code postgresql://user:pw@host:5432/db?x=y} (or {@code postgres://})</td>
 *     <td>{@code jdbc:postgresql://host:5432/db?x=y}, user and password as properties</td></tr>
 * <tr><td>any {@code jdbc:...} URL</td><td>itself</td></tr>
 * </table>
 *
 * @param jdbcUrl what DriverManager is given
 * @param kind the database behind it (decides SQLite's writer/readers split and PostgreSQL features)
 * @param credentials user/password taken out of a {@code postgresql://} URL (empty otherwise)
 * @param display the URL without any password, for messages and toString
 */
record DatabaseUrl(String jdbcUrl, Kind kind, Map<String, String> credentials, String display) {
    enum Kind { SQLITE, POSTGRESQL, OTHER }

    static DatabaseUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new DatabaseUrlException("the database URL is empty: use sqlite:FILE, postgresql://host/db or a jdbc: URL");
        }
        String u = url.strip();
        DatabaseUrl parsed;
        if (u.startsWith("sqlite:")) {
            parsed = sqlite(u.substring("sqlite:".length()), url);
        } else if (u.startsWith("jdbc:sqlite:")) {
            parsed = sqlite(u.substring("jdbc:sqlite:".length()), url);
        } else if (u.startsWith("postgresql://") || u.startsWith("postgres://")) {
            parsed = postgres(u.substring(u.indexOf("://") + 3));
        } else if (u.startsWith("jdbc:")) {
            Kind kind = u.startsWith("jdbc:postgresql:") ? Kind.POSTGRESQL : Kind.OTHER;
            parsed = new DatabaseUrl(u, kind, Map.of(), hidePassword(u));
        } else {
            throw new DatabaseUrlException("unknown database URL '" + hidePassword(u)
                    + "': use sqlite:FILE, sqlite::memory:, postgresql://host/db or a jdbc: URL");
        }
        try {
            DriverManager.getDriver(parsed.jdbcUrl);
        } catch (SQLException e) {
            throw new DatabaseUrlException("no JDBC driver on the class path accepts '" + parsed.display
                    + "': add the driver's jar (for PostgreSQL: org.postgresql:postgresql)");
        }
        return parsed;
    }

    private static DatabaseUrl sqlite(String path, String original) {
        if (path.isBlank()) {
            throw new DatabaseUrlException("'" + original + "' names no file: use sqlite:FILE or sqlite::memory:");
        }
        return new DatabaseUrl("jdbc:sqlite:" + path, Kind.SQLITE, Map.of(), "sqlite:" + path);
    }

    private static DatabaseUrl postgres(String rest) {
        Map<String, String> credentials = new LinkedHashMap<>();
        int slash = rest.indexOf('/');
        int at = rest.lastIndexOf('@', slash < 0 ? rest.length() : slash);
        if (at >= 0) {
            String userInfo = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = userInfo.indexOf(':');
            String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
            if (!user.isEmpty()) {
                credentials.put("user", URLDecoder.decode(user, StandardCharsets.UTF_8));
            }
            if (colon >= 0) {
                credentials.put("password", URLDecoder.decode(userInfo.substring(colon + 1), StandardCharsets.UTF_8));
            }
        }
        if (rest.isEmpty() || rest.startsWith("/") && rest.length() == 1) {
            throw new DatabaseUrlException("'postgresql://" + rest + "' names no host: use postgresql://host[:port]/database");
        }
        String jdbc = "jdbc:postgresql://" + rest;
        String who = credentials.containsKey("user") ? credentials.get("user") + "@" : "";
        return new DatabaseUrl(jdbc, Kind.POSTGRESQL, Map.copyOf(credentials), "postgresql://" + who + rest);
    }

    /** Drops a {@code password=...} query parameter from a URL shown in a message. */
    private static String hidePassword(String u) {
        return u.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }
}
