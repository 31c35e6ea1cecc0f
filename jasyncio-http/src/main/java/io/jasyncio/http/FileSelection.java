package io.jasyncio.http;

/**
 * What a GET or HEAD of a static file asks for, given the file's validators: all of it, nothing
 * (not modified), one byte range, or a range the file cannot satisfy (RFC 9110 §13 conditional
 * requests, §14 range requests). Sans-I/O: the server passes the request's fields, the file's size and
 * modification time, and sends what this says.
 *
 * <p>The validators: a strong entity tag {@code "<size hex>-<mtime ms hex>"} (nginx and Apache derive
 * theirs from the same two facts) and Last-Modified at one-second precision.
 *
 * <p>Precedence, as RFC 9110 §13.2.2 orders it:
 * <pre>
 *  step | field               | when it fails
 *  1    | If-Match            | 412 (none of the tags matches strongly; "*" matches any file)
 *  2    | If-Unmodified-Since | 412 (only without If-Match; the file changed after the date)
 *  3    | If-None-Match       | 304 (a tag matches weakly, or "*")
 *  4    | If-Modified-Since   | 304 (only without If-None-Match; not changed since the date)
 *  5    | Range (+ If-Range)  | 206 with one range, or 416 when no byte of it exists
 * </pre>
 * Invalid dates are ignored (§13.1.3). Range is used only by GET, only in the {@code bytes} unit, and
 * only with one range: a list of ranges, or a range with a syntax error, gets the whole file (a server
 * may always ignore Range, §14.2; multipart/byteranges is not produced). If-Range must name the current
 * validator exactly (the strong tag, or the Last-Modified date), else the whole file is sent.
 *
 * <p>Immutable and thread-safe.
 *
 * @param kind   what to answer
 * @param first  the first byte to send (PARTIAL; 0 for FULL)
 * @param length how many bytes to send (PARTIAL and FULL)
 */
record FileSelection(Kind kind, long first, long length) {

    enum Kind { FULL, PARTIAL, NOT_MODIFIED, PRECONDITION_FAILED, UNSATISFIABLE }

    /** The strong entity tag of a file of {@code size} bytes modified at {@code modifiedMillis}. */
    static String entityTag(long size, long modifiedMillis) {
        return "\"" + Long.toHexString(size) + "-" + Long.toHexString(modifiedMillis) + "\"";
    }

    /** What a request with {@code method} and {@code headers} selects of a file with these validators. */
    static FileSelection of(String method, HttpHeaders headers, long size, long modifiedMillis) {
        String etag = entityTag(size, modifiedMillis);
        long modifiedSecond = Math.floorDiv(modifiedMillis, 1000);
        FileSelection all = new FileSelection(Kind.FULL, 0, size);
        String ifMatch = headers.get("If-Match");
        if (ifMatch != null) {
            if (!matches(ifMatch, etag, false)) {
                return new FileSelection(Kind.PRECONDITION_FAILED, 0, 0);
            }
        } else {
            long since = dateOf(headers, "If-Unmodified-Since");
            if (since != Long.MIN_VALUE && modifiedSecond > since) {
                return new FileSelection(Kind.PRECONDITION_FAILED, 0, 0);
            }
        }
        String ifNoneMatch = headers.get("If-None-Match");
        if (ifNoneMatch != null) {
            if (matches(ifNoneMatch, etag, true)) {
                return new FileSelection(Kind.NOT_MODIFIED, 0, 0);
            }
        } else {
            long since = dateOf(headers, "If-Modified-Since");
            if (since != Long.MIN_VALUE && modifiedSecond <= since) {
                return new FileSelection(Kind.NOT_MODIFIED, 0, 0);
            }
        }
        String range = headers.get("Range");
        if (range == null || !method.equals("GET")) {
            return all;
        }
        String ifRange = headers.get("If-Range");
        if (ifRange != null) {
            String v = ifRange.trim();
            boolean current = v.startsWith("\"") ? v.equals(etag) : HttpDate.parse(v) == modifiedSecond;
            if (!current) {
                return all;
            }
        }
        return byteRange(range, size, all);
    }

    /** One {@code bytes=} range of {@code size} bytes; {@code all} when the field is not one valid range. */
    private static FileSelection byteRange(String field, long size, FileSelection all) {
        String v = field.trim();
        if (!v.regionMatches(true, 0, "bytes=", 0, 6) || v.indexOf(',') >= 0) {
            return all;
        }
        String spec = v.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return all;
        }
        long a = digits(spec.substring(0, dash).trim());
        long b = digits(spec.substring(dash + 1).trim());
        if (dash == 0) { // "-n": the last n bytes
            if (b < 0) {
                return all;
            }
            if (b == 0 || size == 0) {
                return new FileSelection(Kind.UNSATISFIABLE, 0, 0);
            }
            long n = Math.min(b, size);
            return new FileSelection(Kind.PARTIAL, size - n, n);
        }
        if (a < 0 || (dash < spec.length() - 1 && (b < 0 || b < a))) {
            return all; // a syntax error, or last < first: the field is ignored (§14.1.1)
        }
        if (a >= size) {
            return new FileSelection(Kind.UNSATISFIABLE, 0, 0);
        }
        long last = dash == spec.length() - 1 ? size - 1 : Math.min(b, size - 1);
        return new FileSelection(Kind.PARTIAL, a, last - a + 1);
    }

    /** A run of 1-18 decimal digits as a number, else -1 (no sign, no overflow). */
    private static long digits(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return -1;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(s);
    }

    private static long dateOf(HttpHeaders headers, String name) {
        String v = headers.get(name);
        return v == null ? Long.MIN_VALUE : HttpDate.parse(v);
    }

    /**
     * Whether the list of entity tags in {@code field} (or {@code *}) names {@code etag}: weak comparison
     * ignores the {@code W/} prefix on both sides (If-None-Match), strong comparison needs two strong tags.
     */
    private static boolean matches(String field, String etag, boolean weak) {
        String f = field.trim();
        if (f.equals("*")) {
            return true;
        }
        int i = 0;
        while (i < f.length()) {
            while (i < f.length() && (f.charAt(i) == ',' || f.charAt(i) == ' ' || f.charAt(i) == '\t')) i++;
            if (i >= f.length()) {
                break;
            }
            boolean isWeak = f.startsWith("W/", i);
            int open = isWeak ? i + 2 : i;
            if (open >= f.length() || f.charAt(open) != '"') {
                return false; // not a list of entity tags: nothing matches
            }
            int close = f.indexOf('"', open + 1);
            if (close < 0) {
                return false;
            }
            String tag = f.substring(open, close + 1);
            if (tag.equals(etag) && (weak || !isWeak)) {
                return true;
            }
            i = close + 1;
        }
        return false;
    }
}
