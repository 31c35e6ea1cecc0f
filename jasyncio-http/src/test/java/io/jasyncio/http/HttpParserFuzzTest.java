package io.jasyncio.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Randomized properties of the parser over real traffic, with fixed seeds so a failure replays: splitting
 * the input anywhere changes nothing, and no mutation of the bytes makes it throw anything but
 * HttpParseException, loop, or report a body longer than the input.
 */
class HttpParserFuzzTest {
    private static final List<String> REQUESTS = List.of(
            "GET /index.html?q=1 HTTP/1.1\r\nHost: example.test\r\nUser-Agent: curl/8.5\r\nAccept: */*\r\n\r\n",
            "POST /upload HTTP/1.1\r\nHost: h\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world",
            "PUT /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n4\r\nWiki\r\n5;a=b\r\npedia\r\n0\r\nX-T: 1\r\n\r\n",
            "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    private static final List<String> RESPONSES = List.of(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: 13\r\nSet-Cookie: a=b; Path=/\r\n\r\n<html></html>",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1a\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\n\r\n",
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 302 Found\r\nLocation: /b\r\nContent-Length: 0\r\n\r\n",
            "HTTP/1.0 200 OK\r\nServer: old\r\n\r\nbody until close");

    @Test
    void splittingTheInputAnywhereChangesNothing() throws Exception {
        Random random = new Random(42);
        String requests = String.join("", REQUESTS.subList(0, 3));
        String expected = describe(ParsedMessages.parse(HttpParser.forRequests(HttpLimits.SERVER_DEFAULTS), requests, requests.length(), true));
        for (int i = 0; i < 300; i++) {
            int piece = 1 + random.nextInt(40);
            String got = describe(ParsedMessages.parse(HttpParser.forRequests(HttpLimits.SERVER_DEFAULTS), requests, piece, true));
            assertThat(got).as("piece size %d", piece).isEqualTo(expected);
        }
    }

    @Test
    void mutatedRequestsFailOnlyWithParseErrors() {
        fuzz(REQUESTS, true, 7);
    }

    @Test
    void mutatedResponsesFailOnlyWithParseErrors() {
        fuzz(RESPONSES, false, 11);
    }

    private static void fuzz(List<String> corpus, boolean requests, long seed) {
        Random random = new Random(seed);
        HttpLimits limits = new HttpLimits(256, 1024, 20, 4096);
        int parsed = 0;
        int rejected = 0;
        for (int i = 0; i < 5000; i++) {
            byte[] input = mutate(corpus.get(random.nextInt(corpus.size())).getBytes(StandardCharsets.ISO_8859_1), random);
            HttpParser parser = requests ? HttpParser.forRequests(limits) : HttpParser.forResponses(limits);
            try {
                ParsedMessages m = ParsedMessages.parse(parser, input, 1 + random.nextInt(64), random.nextBoolean());
                for (ParsedMessages.Message message : m.messages) {
                    assertThat(message.body().length()).isLessThanOrEqualTo(input.length);
                }
                parsed++;
            } catch (HttpParseException e) {
                assertThat(e.status()).isIn(400, 413, 414, 431, 501, 505);
                assertThat(e.getMessage()).isNotBlank();
                rejected++;
            }
        }
        // Both outcomes must really occur, or the mutations test nothing.
        assertThat(parsed).isGreaterThan(100);
        assertThat(rejected).isGreaterThan(100);
    }

    /** One to four byte-level edits: flip, insert a special byte, delete, duplicate a span. */
    private static byte[] mutate(byte[] in, Random random) {
        byte[] out = in;
        byte[] specials = {'\r', '\n', ' ', '\t', ':', ';', 0, (byte) 0x80, '0', 'f', ',', '-'};
        for (int edits = 1 + random.nextInt(4); edits > 0; edits--) {
            int at = random.nextInt(out.length);
            switch (random.nextInt(4)) {
                case 0 -> out[at] = (byte) random.nextInt(256);
                case 1 -> {
                    byte[] grown = new byte[out.length + 1];
                    System.arraycopy(out, 0, grown, 0, at);
                    grown[at] = specials[random.nextInt(specials.length)];
                    System.arraycopy(out, at, grown, at + 1, out.length - at);
                    out = grown;
                }
                case 2 -> {
                    if (out.length > 2) {
                        byte[] shrunk = new byte[out.length - 1];
                        System.arraycopy(out, 0, shrunk, 0, at);
                        System.arraycopy(out, at + 1, shrunk, at, out.length - at - 1);
                        out = shrunk;
                    }
                }
                default -> {
                    int len = Math.min(1 + random.nextInt(20), out.length - at);
                    byte[] grown = new byte[out.length + len];
                    System.arraycopy(out, 0, grown, 0, at + len);
                    System.arraycopy(out, at, grown, at + len, out.length - at);
                    out = grown;
                }
            }
        }
        return out;
    }

    private static String describe(ParsedMessages m) {
        StringBuilder sb = new StringBuilder();
        for (ParsedMessages.Message message : m.messages) {
            sb.append(message.head()).append('|').append(message.body()).append('|').append(message.trailers()).append('\n');
        }
        return sb.append(m.closed).toString();
    }
}
