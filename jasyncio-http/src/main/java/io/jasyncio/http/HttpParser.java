package io.jasyncio.http;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The HTTP/1.1 message codec (RFC 9110, RFC 9112), sans I/O: bytes go in with {@link #feed}, events come
 * out of {@link #next()}. The server parses requests with it, the client responses; nothing here reads a
 * socket, so every rule is tested on bytes alone.
 *
 * <pre>{@code
 * HttpParser p = HttpParser.forRequests(HttpLimits.SERVER_DEFAULTS);
 * p.feed(bytes, 0, n);
 * for (HttpEvent e; (e = p.next()) != null; ) { ... }   // null: feed more bytes, or feedEof()
 * }</pre>
 *
 * <h2>States</h2>
 * <table class="striped">
 * <caption>Parser states</caption>
 * <tr><th>state</th><th>waits for</th><th>next</th></tr>
 * <tr><td>HEAD</td><td>a blank line ending the head</td><td>BODY_LENGTH, CHUNK_SIZE, BODY_UNTIL_EOF, END, or
 *     HEAD again after a 1xx; UPGRADED after 101 or a CONNECT's 2xx</td></tr>
 * <tr><td>BODY_LENGTH</td><td>{@code remaining} bytes (Content-Length)</td><td>END</td></tr>
 * <tr><td>CHUNK_SIZE</td><td>a chunk-size line</td><td>CHUNK_DATA, or TRAILERS for the last chunk</td></tr>
 * <tr><td>CHUNK_DATA</td><td>{@code remaining} bytes of the chunk</td><td>CHUNK_DATA_END</td></tr>
 * <tr><td>CHUNK_DATA_END</td><td>the CRLF after a chunk</td><td>CHUNK_SIZE</td></tr>
 * <tr><td>TRAILERS</td><td>trailer fields up to a blank line</td><td>END</td></tr>
 * <tr><td>BODY_UNTIL_EOF</td><td>the peer's close (a response without length)</td><td>END</td></tr>
 * <tr><td>END</td><td>nothing: emits MessageEnd</td><td>HEAD if the message keeps the connection alive,
 *     else DISCARD</td></tr>
 * <tr><td>DISCARD</td><td>nothing: the connection must close; later bytes are dropped</td><td>-</td></tr>
 * <tr><td>UPGRADED</td><td>nothing: the bytes belong to another protocol, see {@link #takeRemaining()}</td><td>-</td></tr>
 * <tr><td>FAILED</td><td>nothing: every call rethrows the first error</td><td>-</td></tr>
 * </table>
 *
 * <h2>Hardening</h2>
 * What enables request smuggling or mis-framing is rejected, never guessed at: Content-Length together with
 * Transfer-Encoding in a request, duplicate Content-Lengths that differ, a Content-Length or chunk size that
 * is not plain digits (no sign, no spaces, no overflow), a request Transfer-Encoding other than exactly
 * {@code chunked}, obs-fold (a header line starting with whitespace), whitespace before a header's colon,
 * control characters in names and values, a bare CR, a bare LF in a request (responses from old servers may
 * end lines with LF alone), an HTTP/1.1 request without exactly one Host. Every buffer is bounded by
 * {@link HttpLimits}; the only exception thrown is {@link HttpParseException}, and after one the parser stays
 * failed.
 *
 * <p>Implementation notes: unconsumed input lives in one array {@code buf[pos, lim)}; a head is scanned
 * once, line by line, across feeds ({@code scanned} remembers how far), so a head that arrives one byte at
 * a time costs linear time. A body chunk event copies at most what was fed, so memory is bounded by the
 * caller's read size plus {@code maxHeadBytes}. Not thread-safe: one parser per connection.
 */
public final class HttpParser {
    private enum State { HEAD, BODY_LENGTH, CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_END, TRAILERS, BODY_UNTIL_EOF, END, DISCARD, UPGRADED, FAILED }

    private final boolean requests;
    private final HttpLimits limits;

    private byte[] buf = new byte[4096];
    private int pos;
    private int lim;
    private boolean eof;
    private boolean closedReported;

    private State state = State.HEAD;
    private int scanned;          // bytes of the head/trailers past pos already searched for its end
    private int[] lineBounds = new int[64]; // splitLines: start, end of each line of the head being parsed
    private int lineCount;        // splitLines: lines found, the blank line not counted
    private long remaining;       // BODY_LENGTH, CHUNK_DATA
    private long bodyBytes;       // of the current message, against maxBodyBytes
    private boolean keepAlive;    // of the current message
    private boolean upgradeAfter; // the current message hands the connection to another protocol
    private String requestMethod = "GET"; // responses: the method of the request they answer
    private HttpParseException failure;

    private HttpParser(boolean requests, HttpLimits limits) {
        this.requests = requests;
        this.limits = limits;
    }

    /** A parser for the requests a server receives. */
    public static HttpParser forRequests(HttpLimits limits) {
        return new HttpParser(true, limits);
    }

    /** A parser for the responses a client receives; call {@link #expectResponseTo} before each. */
    public static HttpParser forResponses(HttpLimits limits) {
        return new HttpParser(false, limits);
    }

    /**
     * Tells a response parser which method the next response answers: a response to HEAD has no body
     * whatever its headers say, and a 2xx to CONNECT turns the connection into a tunnel.
     */
    public void expectResponseTo(String method) {
        if (requests) {
            throw new IllegalStateException("expectResponseTo is for a response parser");
        }
        this.requestMethod = method;
    }

    /** Appends bytes the peer sent. */
    public void feed(byte[] data, int offset, int length) {
        if (eof) {
            throw new IllegalStateException("feed after feedEof");
        }
        if (state == State.DISCARD || state == State.FAILED) {
            return;
        }
        if (pos == lim) {
            pos = lim = 0;
        }
        if (lim + length > buf.length) {
            int live = lim - pos;
            if (live + length <= buf.length && pos > 0) {
                System.arraycopy(buf, pos, buf, 0, live);
            } else {
                byte[] bigger = new byte[Math.max(buf.length * 2, live + length)];
                System.arraycopy(buf, pos, bigger, 0, live);
                buf = bigger;
            }
            pos = 0;
            lim = live;
        }
        System.arraycopy(data, offset, buf, lim, length);
        lim += length;
    }

    public void feed(byte[] data) {
        feed(data, 0, data.length);
    }

    /** The peer closed its side: a body delimited by the close ends; anything else unfinished is an error. */
    public void feedEof() {
        eof = true;
    }

    /** Bytes fed and not yet consumed (after an upgrade: the first bytes of the other protocol). */
    public byte[] takeRemaining() {
        byte[] rest = Arrays.copyOfRange(buf, pos, lim);
        pos = lim;
        return rest;
    }

    /** Bytes fed and not yet consumed: nonzero between messages means the next one has begun. */
    int bufferedBytes() {
        return lim - pos;
    }

    /** True once the current message ends the connection (it is not keep-alive, or it upgraded). */
    public boolean connectionEnds() {
        return state == State.DISCARD || state == State.UPGRADED || state == State.FAILED;
    }

    /** True after a 101 response (or a request the server will switch): the rest is another protocol. */
    public boolean isUpgraded() {
        return state == State.UPGRADED;
    }

    /**
     * Marks the request just parsed as switching protocols (the server answered 101): bytes after it are
     * not HTTP. Call after its {@link HttpEvent.MessageEnd}.
     */
    public void upgrade() {
        state = State.UPGRADED;
    }

    /**
     * The next event, or null when more bytes (or {@link #feedEof()}) are needed.
     *
     * @throws HttpParseException for malformed input or a limit exceeded; the parser stays failed
     */
    public HttpEvent next() throws HttpParseException {
        if (failure != null) {
            throw failure;
        }
        try {
            return step();
        } catch (HttpParseException e) {
            failure = e;
            state = State.FAILED;
            throw e;
        }
    }

    private HttpEvent step() throws HttpParseException {
        return switch (state) {
            case HEAD -> head();
            case BODY_LENGTH, CHUNK_DATA -> fixedBody();
            case CHUNK_SIZE -> chunkSize();
            case CHUNK_DATA_END -> chunkDataEnd();
            case TRAILERS -> trailers();
            case BODY_UNTIL_EOF -> bodyUntilEof();
            case END -> end(new HttpHeaders());
            case DISCARD, UPGRADED, FAILED -> null;
        };
    }

    // ---- heads ---------------------------------------------------------------------------------------

    private HttpEvent head() throws HttpParseException {
        if (scanned == 0) {
            // RFC 9112 §2.2: a server SHOULD ignore empty lines received before the request line.
            while (pos < lim && (buf[pos] == '\n' || (buf[pos] == '\r' && pos + 1 < lim && buf[pos + 1] == '\n'))) {
                pos += buf[pos] == '\n' ? 1 : 2;
            }
        }
        int end = findBlankLine();
        if (end < 0) {
            if (eof) {
                if (pos == lim) {
                    if (closedReported) {
                        return null;
                    }
                    closedReported = true;
                    return new HttpEvent.Closed();
                }
                throw new HttpParseException(400, "connection closed in the middle of a message head (" + (lim - pos) + " bytes)");
            }
            int firstLineEnd = indexOf((byte) '\n', pos, lim);
            if ((firstLineEnd < 0 ? lim : firstLineEnd) - pos > limits.maxLineLength() + 1) {
                throw new HttpParseException(requests ? 414 : 400, (requests ? "request" : "status") + " line longer than "
                        + limits.maxLineLength() + " bytes");
            }
            if (lim - pos > limits.maxHeadBytes()) {
                throw tooLarge("head");
            }
            return null;
        }
        splitLines(pos, end);
        pos = end;
        scanned = 0;
        if (lineCount == 0) {
            return head(); // an empty line before the start line, split across feeds: ignored as above
        }
        String startLine = new String(buf, lineBounds[0], lineBounds[1] - lineBounds[0], StandardCharsets.ISO_8859_1);
        HttpHeaders headers = parseFields(1);
        return requests ? requestHead(startLine, headers) : responseHead(startLine, headers);
    }

    private RequestHead requestHead(String line, HttpHeaders headers) throws HttpParseException {
        int sp1 = line.indexOf(' ');
        int sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
        if (sp1 <= 0 || sp2 < 0 || line.indexOf(' ', sp2 + 1) >= 0) {
            throw new HttpParseException(400, "malformed request line: " + printable(line));
        }
        String method = line.substring(0, sp1);
        String target = line.substring(sp1 + 1, sp2);
        String version = line.substring(sp2 + 1);
        for (int i = 0; i < method.length(); i++) {
            if (!HttpHeaders.isTokenChar(method.charAt(i))) {
                throw new HttpParseException(400, "invalid character " + HttpHeaders.describe(method.charAt(i)) + " in method");
            }
        }
        if (target.isEmpty()) {
            throw new HttpParseException(400, "empty request target");
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw new HttpParseException(400, "invalid character " + HttpHeaders.describe(c) + " in request target");
            }
        }
        checkVersion(version);
        boolean http11 = version.equals("HTTP/1.1");
        int hosts = headers.count("Host");
        if (http11 && hosts != 1) {
            throw new HttpParseException(400, hosts == 0 ? "HTTP/1.1 request without Host" : "more than one Host header");
        }
        keepAlive = http11 ? !headers.containsToken("Connection", "close") : headers.containsToken("Connection", "keep-alive");
        bodyBytes = 0;
        List<String> te = transferCodings(headers);
        Long length = contentLength(headers);
        if (!te.isEmpty()) {
            if (!http11) {
                throw new HttpParseException(400, "Transfer-Encoding in an HTTP/1.0 request");
            }
            if (length != null) {
                throw new HttpParseException(400, "both Content-Length and Transfer-Encoding (request smuggling guard)");
            }
            if (!te.equals(List.of("chunked"))) {
                throw te.contains("chunked") ? new HttpParseException(400, "Transfer-Encoding must end with a single chunked: " + te)
                        : new HttpParseException(501, "Transfer-Encoding not implemented: " + te);
            }
            state = State.CHUNK_SIZE;
        } else {
            startFixedBody(length == null ? 0 : length);
        }
        upgradeAfter = false; // a server that accepts an upgrade says so with upgrade()
        return new RequestHead(method, target, version, headers, keepAlive);
    }

    private ResponseHead responseHead(String line, HttpHeaders headers) throws HttpParseException {
        if (line.length() < 12 || line.charAt(8) != ' ') {
            throw new HttpParseException(400, "malformed status line: " + printable(line));
        }
        String version = line.substring(0, 8);
        checkVersion(version);
        int status = 0;
        for (int i = 9; i < 12; i++) {
            char c = line.charAt(i);
            if (c < '0' || c > '9') {
                throw new HttpParseException(400, "malformed status code in: " + printable(line));
            }
            status = status * 10 + (c - '0');
        }
        if (status < 100) {
            throw new HttpParseException(400, "status code below 100: " + status);
        }
        if (line.length() > 12 && line.charAt(12) != ' ') {
            throw new HttpParseException(400, "malformed status line: " + printable(line));
        }
        String reason = line.length() > 13 ? line.substring(13) : "";
        for (int i = 0; i < reason.length(); i++) {
            if (!HttpHeaders.isFieldValueChar(reason.charAt(i))) {
                throw new HttpParseException(400, "invalid character " + HttpHeaders.describe(reason.charAt(i)) + " in reason phrase");
            }
        }
        boolean http11 = version.equals("HTTP/1.1");
        keepAlive = http11 ? !headers.containsToken("Connection", "close") : headers.containsToken("Connection", "keep-alive");
        bodyBytes = 0;
        upgradeAfter = false;
        if (status < 200) {
            if (status == 101) {
                state = State.UPGRADED;
            }
            // An interim response: the final one follows on the same connection (HEAD again).
            return new ResponseHead(version, status, reason, headers, keepAlive);
        }
        List<String> te = transferCodings(headers);
        Long length = contentLength(headers);
        if (requestMethod.equals("CONNECT") && status < 300) {
            upgradeAfter = true;
            startFixedBody(0);
        } else if (requestMethod.equals("HEAD") || status == 204 || status == 304) {
            startFixedBody(0);
        } else if (!te.isEmpty()) {
            if (te.get(te.size() - 1).equals("chunked")) {
                if (te.size() > 1 && te.subList(0, te.size() - 1).contains("chunked")) {
                    throw new HttpParseException(400, "chunked applied twice: " + te);
                }
                state = State.CHUNK_SIZE;
            } else {
                state = State.BODY_UNTIL_EOF;
            }
            if (length != null) {
                keepAlive = false; // RFC 9112 §6.1: Transfer-Encoding wins, and the connection is not reused
            }
        } else if (length != null) {
            startFixedBody(length);
        } else {
            keepAlive = false;
            state = State.BODY_UNTIL_EOF;
        }
        if (length != null && length > limits.maxBodyBytes()) {
            throw tooLargeBody();
        }
        return new ResponseHead(version, status, reason, headers, keepAlive);
    }

    private void startFixedBody(long length) throws HttpParseException {
        if (length > limits.maxBodyBytes()) {
            throw tooLargeBody();
        }
        remaining = length;
        state = length == 0 ? State.END : State.BODY_LENGTH;
    }

    private static void checkVersion(String version) throws HttpParseException {
        if (version.equals("HTTP/1.1") || version.equals("HTTP/1.0")) {
            return;
        }
        if (version.length() == 8 && version.startsWith("HTTP/") && Character.isDigit(version.charAt(5))
                && version.charAt(6) == '.' && Character.isDigit(version.charAt(7))) {
            throw new HttpParseException(505, "HTTP version not supported: " + version);
        }
        throw new HttpParseException(400, "malformed HTTP version: " + printable(version));
    }

    private static List<String> transferCodings(HttpHeaders headers) throws HttpParseException {
        List<String> all = headers.getAll("Transfer-Encoding");
        if (all.isEmpty()) {
            return List.of();
        }
        java.util.ArrayList<String> codings = new java.util.ArrayList<>();
        for (String value : all) {
            for (String part : value.split(",", -1)) {
                String coding = part.trim().toLowerCase(Locale.ROOT);
                if (coding.isEmpty()) {
                    throw new HttpParseException(400, "empty transfer coding in: " + value);
                }
                codings.add(coding);
            }
        }
        return codings;
    }

    /** The one Content-Length, or null; duplicates must agree (RFC 9110 §8.6). */
    static Long contentLength(HttpHeaders headers) throws HttpParseException {
        Long length = null;
        for (String value : headers.getAll("Content-Length")) {
            for (String part : value.split(",", -1)) {
                String digits = part.trim();
                if (digits.isEmpty() || digits.length() > 18) {
                    throw new HttpParseException(400, "invalid Content-Length: " + printable(value));
                }
                long n = 0;
                for (int i = 0; i < digits.length(); i++) {
                    char c = digits.charAt(i);
                    if (c < '0' || c > '9') {
                        throw new HttpParseException(400, "invalid Content-Length: " + printable(value));
                    }
                    n = n * 10 + (c - '0');
                }
                if (length != null && length != n) {
                    throw new HttpParseException(400, "differing Content-Length values: " + length + " and " + n);
                }
                length = n;
            }
        }
        return length;
    }

    // ---- fields --------------------------------------------------------------------------------------

    /** The index just past the blank line ending a head or trailer block at pos, or -1. */
    private int findBlankLine() {
        int i = pos + scanned;
        int lineStart = i;
        // Resume at the start of the line being scanned: back up to just after the previous LF.
        while (lineStart > pos && buf[lineStart - 1] != '\n') {
            lineStart--;
        }
        for (; i < lim; i++) {
            if (buf[i] == '\n') {
                int len = i - lineStart;
                if (len == 0 || (len == 1 && buf[lineStart] == '\r')) {
                    scanned = 0;
                    return i + 1;
                }
                lineStart = i + 1;
            }
        }
        scanned = lim - pos;
        return -1;
    }

    /** Lines of buf[from, to) (which ends with the blank line), checked for line endings and length. */
    /**
     * Finds the lines of the head in {@code buf[from, to)} (which ends with the blank line) and records
     * them in {@link #lineBounds} as start/end pairs, line ends (CRLF) excluded and the blank line left
     * out: no string is made until {@link #parseFields} knows what each part is.
     */
    private void splitLines(int from, int to) throws HttpParseException {
        lineCount = 0;
        int start = from;
        for (int i = from; i < to; i++) {
            byte b = buf[i];
            if (b == '\r') {
                if (i + 1 >= to || buf[i + 1] != '\n') {
                    throw new HttpParseException(400, "bare CR in message head");
                }
            } else if (b == '\n') {
                int end = i;
                if (end > start && buf[end - 1] == '\r') {
                    end--;
                } else if (requests) {
                    throw new HttpParseException(400, "bare LF in message head (lines end with CRLF)");
                }
                if (end - start > limits.maxLineLength()) {
                    if (lineCount == 0) {
                        throw new HttpParseException(requests ? 414 : 400, (requests ? "request" : "status") + " line longer than "
                                + limits.maxLineLength() + " bytes");
                    }
                    throw new HttpParseException(431, "header line longer than " + limits.maxLineLength() + " bytes");
                }
                if (2 * lineCount + 2 > lineBounds.length) {
                    lineBounds = Arrays.copyOf(lineBounds, 2 * lineBounds.length); // bounded: maxHeadBytes limits the lines
                }
                lineBounds[2 * lineCount] = start;
                lineBounds[2 * lineCount + 1] = end;
                lineCount++;
                start = i + 1;
            }
        }
        lineCount--; // the blank line
        if (lineCount - 1 > limits.maxHeaderCount()) {
            throw new HttpParseException(431, "more than " + limits.maxHeaderCount() + " header fields");
        }
    }

    /** The header fields in lines {@code first..} of the last {@link #splitLines}, checked byte by byte. */
    private HttpHeaders parseFields(int first) throws HttpParseException {
        HttpHeaders headers = new HttpHeaders();
        for (int n = first; n < lineCount; n++) {
            int start = lineBounds[2 * n];
            int end = lineBounds[2 * n + 1];
            if (start == end) {
                throw new HttpParseException(400, "empty line inside the head");
            }
            byte c0 = buf[start];
            if (c0 == ' ' || c0 == '\t') {
                throw new HttpParseException(400, "obsolete line folding (obs-fold) in header line " + n);
            }
            int colon = indexOf((byte) ':', start, end);
            if (colon <= start) {
                throw new HttpParseException(400, "header line without a name and colon: " + printable(latin1(start, end)));
            }
            for (int i = start; i < colon; i++) {
                int c = buf[i] & 0xff;
                if (!HttpHeaders.isTokenChar(c)) {
                    throw new HttpParseException(400, (c == ' ' || c == '\t' ? "whitespace before the colon" : "invalid character "
                            + HttpHeaders.describe(c)) + " in header name " + printable(latin1(start, colon)));
                }
            }
            int vs = colon + 1;
            int ve = end;
            while (vs < ve && (buf[vs] == ' ' || buf[vs] == '\t')) vs++;
            while (ve > vs && (buf[ve - 1] == ' ' || buf[ve - 1] == '\t')) ve--;
            for (int i = vs; i < ve; i++) {
                if (!HttpHeaders.isFieldValueChar(buf[i] & 0xff)) {
                    throw new HttpParseException(400, "invalid character " + HttpHeaders.describe(buf[i] & 0xff)
                            + " in the value of header " + latin1(start, colon));
                }
            }
            headers.addParsed(latin1(start, colon), latin1(vs, ve));
        }
        return headers;
    }

    private String latin1(int from, int to) {
        return new String(buf, from, to - from, StandardCharsets.ISO_8859_1);
    }

    // ---- bodies --------------------------------------------------------------------------------------

    private HttpEvent fixedBody() throws HttpParseException {
        if (pos == lim) {
            if (eof) {
                throw new HttpParseException(400, "connection closed " + remaining + " bytes before the end of the body");
            }
            return null;
        }
        int n = (int) Math.min(remaining, lim - pos);
        byte[] data = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        remaining -= n;
        if (remaining == 0) {
            state = state == State.CHUNK_DATA ? State.CHUNK_DATA_END : State.END;
        }
        return new HttpEvent.BodyChunk(data);
    }

    private HttpEvent bodyUntilEof() throws HttpParseException {
        if (pos < lim) {
            int n = lim - pos;
            countBody(n);
            byte[] data = Arrays.copyOfRange(buf, pos, lim);
            pos = lim;
            return new HttpEvent.BodyChunk(data);
        }
        if (eof) {
            state = State.END;
            return end(new HttpHeaders());
        }
        return null;
    }

    private HttpEvent chunkSize() throws HttpParseException {
        int lf = indexOf((byte) '\n', pos, Math.min(lim, pos + limits.maxLineLength() + 2));
        if (lf < 0) {
            if (lim - pos > limits.maxLineLength()) {
                throw new HttpParseException(400, "chunk-size line longer than " + limits.maxLineLength() + " bytes");
            }
            if (eof) {
                throw new HttpParseException(400, "connection closed in the middle of a chunked body");
            }
            return null;
        }
        int end = lineEnd(lf, "chunk-size line");
        long size = 0;
        int i = pos;
        for (; i < end; i++) {
            int d = Character.digit(buf[i], 16);
            if (d < 0) {
                break;
            }
            if (i - pos >= 15) {
                throw new HttpParseException(400, "chunk size too large");
            }
            size = size * 16 + d;
        }
        if (i == pos) {
            throw new HttpParseException(400, "chunk-size line without a hexadecimal size");
        }
        // chunk-ext = *( BWS ";" BWS name [ BWS "=" BWS value ] ): visible characters after the ';'.
        int j = i;
        while (j < end && (buf[j] == ' ' || buf[j] == '\t')) j++;
        if (j < end && buf[j] != ';') {
            throw new HttpParseException(400, "invalid character " + HttpHeaders.describe(buf[j] & 0xff) + " after the chunk size");
        }
        for (; j < end; j++) {
            if (!HttpHeaders.isFieldValueChar(buf[j] & 0xff)) {
                throw new HttpParseException(400, "invalid character " + HttpHeaders.describe(buf[j] & 0xff) + " in a chunk extension");
            }
        }
        pos = lf + 1;
        if (size == 0) {
            state = State.TRAILERS;
            return trailers();
        }
        countBody(size);
        remaining = size;
        state = State.CHUNK_DATA;
        return fixedBody();
    }

    private HttpEvent chunkDataEnd() throws HttpParseException {
        if (lim - pos < 2) {
            if (lim - pos == 1 && buf[pos] == '\n' && !requests) {
                pos++;
                state = State.CHUNK_SIZE;
                return chunkSize();
            }
            if (eof) {
                throw new HttpParseException(400, "connection closed in the middle of a chunked body");
            }
            return null;
        }
        if (buf[pos] == '\r' && buf[pos + 1] == '\n') {
            pos += 2;
        } else if (buf[pos] == '\n' && !requests) {
            pos += 1;
        } else {
            throw new HttpParseException(400, "chunk data not followed by CRLF (chunk size and data disagree)");
        }
        state = State.CHUNK_SIZE;
        return chunkSize();
    }

    private HttpEvent trailers() throws HttpParseException {
        int end = findBlankLine();
        if (end < 0) {
            if (lim - pos > limits.maxHeadBytes()) {
                throw tooLarge("trailer block");
            }
            if (eof) {
                throw new HttpParseException(400, "connection closed in the trailers of a chunked body");
            }
            return null;
        }
        HttpHeaders trailers;
        if (end - pos <= 2) {
            trailers = new HttpHeaders();
        } else {
            splitLines(pos, end);
            trailers = parseFields(0);
        }
        pos = end;
        return end(trailers);
    }

    private HttpEvent end(HttpHeaders trailers) {
        state = upgradeAfter ? State.UPGRADED : keepAlive ? State.HEAD : State.DISCARD;
        if (state == State.DISCARD) {
            pos = lim;
        }
        return new HttpEvent.MessageEnd(trailers);
    }

    private void countBody(long n) throws HttpParseException {
        bodyBytes += n;
        if (bodyBytes > limits.maxBodyBytes()) {
            throw tooLargeBody();
        }
    }

    private int lineEnd(int lf, String what) throws HttpParseException {
        if (lf > pos && buf[lf - 1] == '\r') {
            int cr = indexOf((byte) '\r', pos, lf - 1);
            if (cr >= 0) {
                throw new HttpParseException(400, "bare CR in " + what);
            }
            return lf - 1;
        }
        if (requests) {
            throw new HttpParseException(400, "bare LF in " + what + " (lines end with CRLF)");
        }
        return lf;
    }

    private HttpParseException tooLarge(String what) {
        return new HttpParseException(requests ? 431 : 400, what + " larger than " + limits.maxHeadBytes() + " bytes");
    }

    private HttpParseException tooLargeBody() {
        return new HttpParseException(413, "body larger than " + limits.maxBodyBytes() + " bytes");
    }

    private int indexOf(byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < 80; i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02X", (int) c));
        }
        return '"' + sb.toString() + '"';
    }

    @Override
    public String toString() {
        return "HttpParser[" + (requests ? "requests" : "responses") + ", state=" + state + ", buffered=" + (lim - pos) + "]";
    }
}
