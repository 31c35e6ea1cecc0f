package io.jasyncio.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A route's path pattern, aiohttp's syntax: literal text, {@code {name}} for one path segment (no
 * {@code /}), {@code {name:regex}} for a custom match ({@code {tail:.*}} takes the rest of the path).
 * Names are letters and digits, starting with a letter, each used once. A pattern without parameters is
 * matched by string equality (the common case, and the fast one). Patterns match the decoded path.
 * Immutable.
 */
final class PathPattern {
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9]*");

    private final String source;
    private final Pattern regex;     // null: literal
    private final List<String> names;

    private PathPattern(String source, Pattern regex, List<String> names) {
        this.source = source;
        this.regex = regex;
        this.names = names;
    }

    static PathPattern compile(String pattern) {
        if (pattern == null || !pattern.startsWith("/")) {
            throw new IllegalArgumentException("a route pattern starts with '/': " + pattern);
        }
        if (pattern.indexOf('{') < 0) {
            if (pattern.indexOf('}') >= 0) {
                throw new IllegalArgumentException("unbalanced '}' in route pattern " + pattern);
            }
            return new PathPattern(pattern, null, List.of());
        }
        StringBuilder re = new StringBuilder();
        List<String> names = new ArrayList<>();
        int i = 0;
        while (i < pattern.length()) {
            int open = pattern.indexOf('{', i);
            if (open < 0) {
                re.append(Pattern.quote(pattern.substring(i)));
                break;
            }
            if (open > i) {
                re.append(Pattern.quote(pattern.substring(i, open)));
            }
            int close = closingBrace(pattern, open);
            String inside = pattern.substring(open + 1, close);
            int colon = inside.indexOf(':');
            String name = colon < 0 ? inside : inside.substring(0, colon);
            String part = colon < 0 ? "[^/]+" : inside.substring(colon + 1);
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("invalid parameter name '" + name + "' in route pattern " + pattern
                        + " (letters and digits, starting with a letter)");
            }
            if (names.contains(name)) {
                throw new IllegalArgumentException("parameter '" + name + "' used twice in route pattern " + pattern);
            }
            names.add(name);
            re.append("(?<").append(name).append('>').append(part).append(')');
            i = close + 1;
        }
        try {
            return new PathPattern(pattern, Pattern.compile(re.toString()), List.copyOf(names));
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid regular expression in route pattern " + pattern + ": " + e.getDescription(), e);
        }
    }

    private static int closingBrace(String pattern, int open) {
        int depth = 0;
        for (int j = open; j < pattern.length(); j++) {
            char c = pattern.charAt(j);
            if (c == '{') depth++;
            if (c == '}' && --depth == 0) return j;
        }
        throw new IllegalArgumentException("unclosed '{' in route pattern " + pattern);
    }

    boolean isLiteral() {
        return regex == null;
    }

    String source() {
        return source;
    }

    /** The parameters if {@code path} matches, else null. */
    Map<String, String> match(String path) {
        if (regex == null) {
            return source.equals(path) ? Map.of() : null;
        }
        Matcher m = regex.matcher(path);
        if (!m.matches()) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String n : names) {
            params.put(n, m.group(n));
        }
        return params;
    }

    @Override
    public String toString() {
        return source;
    }
}
