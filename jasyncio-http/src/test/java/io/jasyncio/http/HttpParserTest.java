package io.jasyncio.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class HttpParserTest {
    private static ParsedMessages requests(String traffic) throws HttpParseException {
        return ParsedMessages.parse(HttpParser.forRequests(HttpLimits.SERVER_DEFAULTS), traffic, 7, true);
    }

    private static ParsedMessages response(String method, String traffic) throws HttpParseException {
        HttpParser p = HttpParser.forResponses(HttpLimits.CLIENT_DEFAULTS);
        p.expectResponseTo(method);
        return ParsedMessages.parse(p, traffic, 5, true);
    }

    private static void rejected(String traffic, int status, String messagePart) {
        assertThatThrownBy(() -> requests(traffic))
                .isInstanceOf(HttpParseException.class)
                .hasMessageContaining(messagePart)
                .satisfies(e -> assertThat(((HttpParseException) e).status()).isEqualTo(status));
    }

    @Test
    void pipelinedRequestsWithEveryFraming() throws Exception {
        ParsedMessages m = requests("GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
                + "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
                + "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nX-Sum: 5\r\n\r\n");
        assertThat(m.messages).hasSize(3);
        RequestHead a = (RequestHead) m.messages.get(0).head();
        assertThat(a.method()).isEqualTo("GET");
        assertThat(a.target()).isEqualTo("/a");
        assertThat(a.keepAlive()).isTrue();
        assertThat(m.messages.get(1).body()).isEqualTo("hello");
        assertThat(m.messages.get(2).body()).isEqualTo("abcde");
        assertThat(m.messages.get(2).trailers().get("x-sum")).isEqualTo("5");
        assertThat(m.closed).isTrue();
    }

    @Test
    void headerValuesAreTrimmedAndNamesCaseInsensitive() throws Exception {
        RequestHead h = (RequestHead) requests("GET / HTTP/1.1\r\nhOsT: x\r\nX-A: \t one two \t\r\nX-A: 2\r\n\r\n").messages.get(0).head();
        assertThat(h.headers().get("X-a")).isEqualTo("one two");
        assertThat(h.headers().getAll("x-a")).containsExactly("one two", "2");
    }

    @Test
    void keepAliveFollowsVersionAndConnection() throws Exception {
        assertThat(((RequestHead) requests("GET / HTTP/1.0\r\n\r\n").messages.get(0).head()).keepAlive()).isFalse();
        assertThat(((RequestHead) requests("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").messages.get(0).head()).keepAlive()).isTrue();
        assertThat(((RequestHead) requests("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").messages.get(0).head()).keepAlive()).isFalse();
    }

    @Test
    void bytesAfterAConnectionCloseRequestAreDropped() throws Exception {
        ParsedMessages m = requests("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(m.messages).hasSize(1);
    }

    @Test
    void leadingEmptyLinesBeforeARequestAreIgnored() throws Exception {
        assertThat(requests("\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n").messages).hasSize(1);
    }

    @Test
    void expectContinueIsVisible() throws Exception {
        RequestHead h = (RequestHead) requests("PUT / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nz").messages.get(0).head();
        assertThat(h.expectsContinue()).isTrue();
    }

    @Test
    void smugglingAndMisframingAreRejected() {
        rejected("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400, "both Content-Length and Transfer-Encoding");
        rejected("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n", 400, "differing Content-Length");
        rejected("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +3\r\n\r\n", 400, "invalid Content-Length");
        rejected("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3 3\r\n\r\n", 400, "invalid Content-Length");
        rejected("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n", 400, "invalid Content-Length");
        rejected("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", 400, "single chunked");
        rejected("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 501, "not implemented");
        rejected("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400, "HTTP/1.0");
        rejected("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nz\r\n", 400, "hexadecimal");
        rejected("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n", 400, "hexadecimal");
        rejected("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1000000000000000\r\n", 400, "too large");
        rejected("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n", 400, "not followed by CRLF");
        rejected("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3 x\r\nabc\r\n", 400, "after the chunk size");
        rejected("GET / HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n folded\r\n\r\n", 400, "obs-fold");
        rejected("GET / HTTP/1.1\r\nHost: x\r\nX-A : 1\r\n\r\n", 400, "whitespace before the colon");
        rejected("GET / HTTP/1.1\r\nHost: x\r\nX\u0001A: 1\r\n\r\n", 400, "invalid character 0x01 in header name");
        rejected("GET / HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n", 400, "invalid character 0x00 in the value");
        rejected("GET / HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n", 400, "bare CR");
        rejected("GET / HTTP/1.1\nHost: x\n\n", 400, "bare LF");
        rejected("GET / HTTP/1.1\r\n\r\n", 400, "without Host");
        rejected("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, "more than one Host");
        rejected("GET  / HTTP/1.1\r\nHost: x\r\n\r\n", 400, "malformed request line");
        rejected("GET /\u007f HTTP/1.1\r\nHost: x\r\n\r\n", 400, "in request target");
        rejected("G(T / HTTP/1.1\r\nHost: x\r\n\r\n", 400, "in method");
        rejected("GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505, "not supported");
        rejected("GET / HTTX/1.1\r\nHost: x\r\n\r\n", 400, "malformed HTTP version");
    }

    @Test
    void truncatedMessagesAreErrorsAtEof() {
        rejected("GET / HTTP/1.1\r\nHost:", 400, "middle of a message head");
        rejected("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc", 400, "7 bytes before the end");
        rejected("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", 400, "closed");
    }

    @Test
    void limitsGiveTheRightStatus() {
        HttpLimits small = new HttpLimits(100, 300, 3, 10);
        assertThatThrownBy(() -> ParsedMessages.parse(HttpParser.forRequests(small), "GET /" + "a".repeat(200) + " HTTP/1.1\r\n", 1000, false))
                .hasMessageContaining("request line longer").extracting(e -> ((HttpParseException) e).status()).isEqualTo(414);
        assertThatThrownBy(() -> ParsedMessages.parse(HttpParser.forRequests(small), "GET / HTTP/1.1\r\nHost: x\r\nA: " + "b".repeat(150) + "\r\n\r\n", 1000, false))
                .hasMessageContaining("header line longer").extracting(e -> ((HttpParseException) e).status()).isEqualTo(431);
        assertThatThrownBy(() -> ParsedMessages.parse(HttpParser.forRequests(small), "GET / HTTP/1.1\r\nHost: x\r\n" + "A: b\r\n".repeat(60), 1000, false))
                .hasMessageContaining("head larger").extracting(e -> ((HttpParseException) e).status()).isEqualTo(431);
        assertThatThrownBy(() -> ParsedMessages.parse(HttpParser.forRequests(small), "GET / HTTP/1.1\r\nHost: x\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", 1000, false))
                .hasMessageContaining("more than 3 header fields").extracting(e -> ((HttpParseException) e).status()).isEqualTo(431);
        assertThatThrownBy(() -> ParsedMessages.parse(HttpParser.forRequests(small), "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n", 1000, false))
                .extracting(e -> ((HttpParseException) e).status()).isEqualTo(413);
        assertThatThrownBy(() -> ParsedMessages.parse(HttpParser.forRequests(small), "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n8\r\n", 1000, false))
                .extracting(e -> ((HttpParseException) e).status()).isEqualTo(413);
    }

    @Test
    void aFailedParserStaysFailed() throws Exception {
        HttpParser p = HttpParser.forRequests(HttpLimits.SERVER_DEFAULTS);
        p.feed("BAD\r\n\r\n".getBytes());
        assertThatThrownBy(p::next).isInstanceOf(HttpParseException.class);
        p.feed("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
        assertThatThrownBy(p::next).isInstanceOf(HttpParseException.class).hasMessageContaining("malformed request line");
    }

    @Test
    void responseFramingRules() throws Exception {
        assertThat(response("GET", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi").messages.get(0).body()).isEqualTo("hi");
        assertThat(response("HEAD", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n").messages.get(0).body()).isEmpty();
        assertThat(response("GET", "HTTP/1.1 204 No Content\r\nContent-Length: 2\r\n\r\n").messages.get(0).body()).isEmpty();
        assertThat(response("GET", "HTTP/1.1 304 Not Modified\r\n\r\n").messages.get(0).body()).isEmpty();
        ParsedMessages untilClose = response("GET", "HTTP/1.0 200 OK\r\n\r\nall of it");
        assertThat(untilClose.messages.get(0).body()).isEqualTo("all of it");
        assertThat(((ResponseHead) untilClose.messages.get(0).head()).keepAlive()).isFalse();
        ParsedMessages interim = response("PUT", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n");
        assertThat(interim.messages).extracting(m -> ((ResponseHead) m.head()).status()).containsExactly(100, 201);
        ParsedMessages both = response("GET", "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nz\r\n0\r\n\r\n");
        assertThat(both.messages.get(0).body()).isEqualTo("z");
        assertThat(((ResponseHead) both.messages.get(0).head()).keepAlive()).isFalse();
        assertThat(response("GET", "HTTP/1.1 200 OK\nContent-Length: 1\n\nq").messages.get(0).body()).isEqualTo("q");
        assertThat(((ResponseHead) response("GET", "HTTP/1.1 404\r\nContent-Length: 0\r\n\r\n").messages.get(0).head()).reason()).isEmpty();
    }

    @Test
    void switchingProtocolsHandsOverTheRest() throws Exception {
        HttpParser p = HttpParser.forResponses(HttpLimits.CLIENT_DEFAULTS);
        p.feed("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\u0081\u0002hi".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThat(((ResponseHead) p.next()).status()).isEqualTo(101);
        assertThat(p.isUpgraded()).isTrue();
        assertThat(p.next()).isNull();
        assertThat(p.takeRemaining()).hasSize(4);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 13, 64, 100000})
    void everySplitOfTheInputGivesTheSameMessages(int piece) throws Exception {
        String traffic = "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\n\r\n"
                + "GET /d?q=1 HTTP/1.1\r\nHost: x\r\n\r\n";
        ParsedMessages m = ParsedMessages.parse(HttpParser.forRequests(HttpLimits.SERVER_DEFAULTS), traffic, piece, true);
        assertThat(m.messages).extracting(ParsedMessages.Message::body).containsExactly("abc0123456789abcdef", "");
        assertThat(((RequestHead) m.messages.get(1).head()).target()).isEqualTo("/d?q=1");
    }

    @Test
    void encoderOutputParsesBack() throws Exception {
        byte[] head = HttpEncoder.requestHead("POST", "/x", HttpHeaders.of("Host", "h", "Transfer-Encoding", "chunked"));
        byte[] body = HttpEncoder.chunk("hello".getBytes(), 0, 5);
        String traffic = new String(head) + new String(body) + new String(HttpEncoder.lastChunk());
        assertThat(requests(traffic).messages.get(0).body()).isEqualTo("hello");
        assertThatThrownBy(() -> HttpEncoder.requestHead("GET", "/a b", new HttpHeaders())).hasMessageContaining("request target");
        assertThatThrownBy(() -> new HttpHeaders().add("X-A", "1\r\nInjected: yes")).hasMessageContaining("0x0D");
        assertThatThrownBy(() -> new HttpHeaders().add("X A", "1")).hasMessageContaining("header name");
        assertThatThrownBy(() -> HttpEncoder.responseHead(200, "OK\r\nX: y", new HttpHeaders())).hasMessageContaining("reason");
    }
}
