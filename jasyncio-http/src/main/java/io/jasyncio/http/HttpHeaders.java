package io.jasyncio.http;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The header fields of one HTTP message: an ordered list of (name, value) pairs, names compared without
 * regard to case (RFC 9110 §5.1), repeated names kept in order (a response may carry several
 * {@code Set-Cookie}).
 *
 * <p>Every name and value is checked when it is added: a name must be a token, a value must not contain
 * CR, LF or NUL (or any control character but tab). So a header built from user input can never inject a
 * second header or end the head early (response splitting), and the error names the offending field.
 *
 * <p>Not thread-safe; a message's headers belong to the task that handles it. Lookups scan the list,
 * which for the 5-30 fields of a real message is faster than hashing.
 */
public final class HttpHeaders implements Iterable<Map.Entry<String, String>> {
    private final List<String> namesAndValues; // name0, value0, name1, value1, ...

    public HttpHeaders() {
        this.namesAndValues = new ArrayList<>(16);
    }

    /** Room for {@code fields} fields before growing. */
    HttpHeaders(int fields) {
        this.namesAndValues = new ArrayList<>(2 * fields);
    }

    /** A copy of {@code other}. */
    public HttpHeaders(HttpHeaders other) {
        this.namesAndValues = new ArrayList<>(other.namesAndValues);
    }

    /** Headers from alternating names and values: {@code HttpHeaders.of("Accept", "text/html", "X-Id", "7")}. */
    public static HttpHeaders of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("HttpHeaders.of needs name/value pairs, got " + namesAndValues.length + " strings");
        }
        HttpHeaders h = new HttpHeaders();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            h.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return h;
    }

    /** Adds a field, keeping any existing ones of that name. */
    public HttpHeaders add(String name, String value) {
        checkName(name);
        checkValue(name, value);
        namesAndValues.add(name);
        namesAndValues.add(value);
        return this;
    }

    /** Adds a field the parser already validated. */
    void addParsed(String name, String value) {
        namesAndValues.add(name);
        namesAndValues.add(value);
    }

    /** Replaces every field of that name with one field. */
    public HttpHeaders set(String name, String value) {
        checkName(name);
        checkValue(name, value);
        int i = indexOf(name, 0);
        if (i < 0) {
            namesAndValues.add(name);
            namesAndValues.add(value);
            return this;
        }
        namesAndValues.set(i + 1, value);
        removeFrom(name, i + 2);
        return this;
    }

    /** Sets the field only if no field of that name exists yet. */
    public HttpHeaders setIfAbsent(String name, String value) {
        if (!contains(name)) {
            add(name, value);
        }
        return this;
    }

    /** Removes every field of that name; true if there was one. */
    public boolean remove(String name) {
        return removeFrom(name, 0);
    }

    /** The first value of that name, or null. */
    public String get(String name) {
        int i = indexOf(name, 0);
        return i < 0 ? null : namesAndValues.get(i + 1);
    }

    /** Every value of that name, in order. */
    public List<String> getAll(String name) {
        List<String> values = new ArrayList<>(2);
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 2)) {
            values.add(namesAndValues.get(i + 1));
        }
        return values;
    }

    public boolean contains(String name) {
        return indexOf(name, 0) >= 0;
    }

    /**
     * True if a comma-separated field of that name lists {@code token} (case-insensitive), as
     * {@code Connection: keep-alive, Upgrade} lists {@code upgrade}.
     */
    public boolean containsToken(String name, String token) {
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 2)) {
            String value = namesAndValues.get(i + 1);
            int start = 0;
            while (start <= value.length()) { // each comma-separated element, trimmed, without splitting into strings
                int comma = value.indexOf(',', start);
                int end = comma < 0 ? value.length() : comma;
                int s = start;
                int e = end;
                while (s < e && value.charAt(s) <= ' ') s++;
                while (e > s && value.charAt(e - 1) <= ' ') e--;
                if (e - s == token.length() && value.regionMatches(true, s, token, 0, token.length())) {
                    return true;
                }
                start = end + 1;
            }
        }
        return false;
    }

    /** How many fields are named {@code name}. */
    int count(String name) {
        int n = 0;
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 2)) {
            n++;
        }
        return n;
    }

    /** The number of fields. */
    public int size() {
        return namesAndValues.size() / 2;
    }

    public boolean isEmpty() {
        return namesAndValues.isEmpty();
    }

    public String name(int index) {
        return namesAndValues.get(2 * index);
    }

    public String value(int index) {
        return namesAndValues.get(2 * index + 1);
    }

    @Override
    public Iterator<Map.Entry<String, String>> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < size();
            }

            @Override
            public Map.Entry<String, String> next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                int i = next++;
                return Map.entry(name(i), value(i));
            }
        };
    }

    private int indexOf(String name, int from) {
        for (int i = from; i < namesAndValues.size(); i += 2) {
            if (namesAndValues.get(i).equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    private boolean removeFrom(String name, int from) {
        boolean removed = false;
        for (int i = namesAndValues.size() - 2; i >= from; i -= 2) {
            if (namesAndValues.get(i).equalsIgnoreCase(name)) {
                namesAndValues.remove(i + 1);
                namesAndValues.remove(i);
                removed = true;
            }
        }
        return removed;
    }

    /** RFC 9110 §5.6.2: {@code tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA}. */
    static boolean isTokenChar(int c) {
        return c < 128 && TOKEN[c];
    }

    /** RFC 9110 §5.5: field-value characters (VCHAR, SP, HTAB, obs-text). */
    static boolean isFieldValueChar(int c) {
        return c == '\t' || (c >= 0x20 && c != 0x7f && c <= 0xff);
    }

    static void checkName(String name) {
        Objects.requireNonNull(name, "header name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty header name");
        }
        for (int i = 0; i < name.length(); i++) {
            if (!isTokenChar(name.charAt(i))) {
                throw new IllegalArgumentException("invalid character " + describe(name.charAt(i)) + " in header name \"" + name + "\"");
            }
        }
    }

    static void checkValue(String name, String value) {
        if (value == null) {
            throw new NullPointerException("value of header " + name); // no capturing lambda: this runs per header set
        }
        for (int i = 0; i < value.length(); i++) {
            if (!isFieldValueChar(value.charAt(i))) {
                throw new IllegalArgumentException("invalid character " + describe(value.charAt(i)) + " in the value of header " + name);
            }
        }
    }

    static String describe(int c) {
        return c >= 0x21 && c < 0x7f ? "'" + (char) c + "'" : String.format("0x%02X", c);
    }

    private static final boolean[] TOKEN = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) TOKEN[c] = true;
        for (char c = 'a'; c <= 'z'; c++) TOKEN[c] = true;
        for (char c = 'A'; c <= 'Z'; c++) TOKEN[c] = true;
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) TOKEN[c] = true;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("HttpHeaders[");
        for (int i = 0; i < size(); i++) {
            if (i > 0) sb.append(", ");
            sb.append(name(i)).append(": ").append(value(i));
        }
        return sb.append(']').toString();
    }
}
