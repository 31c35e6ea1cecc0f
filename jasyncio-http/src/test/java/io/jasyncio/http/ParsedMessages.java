package io.jasyncio.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Test helper: runs a parser over bytes fed in pieces and collects what it found. */
final class ParsedMessages {
    /** One message: its head, its de-chunked body, its trailers. */
    record Message(HttpEvent head, String body, HttpHeaders trailers) {}

    final List<Message> messages = new ArrayList<>();
    boolean closed;

    static ParsedMessages parse(HttpParser parser, String traffic, int pieceSize, boolean eof) throws HttpParseException {
        return parse(parser, traffic.getBytes(StandardCharsets.ISO_8859_1), pieceSize, eof);
    }

    static ParsedMessages parse(HttpParser parser, byte[] traffic, int pieceSize, boolean eof) throws HttpParseException {
        ParsedMessages out = new ParsedMessages();
        HttpEvent head = null;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int offset = 0;
        int steps = 0;
        while (true) {
            HttpEvent e = parser.next();
            if (++steps > 10 * traffic.length + 100) {
                throw new AssertionError("parser does not make progress: " + parser);
            }
            if (e == null) {
                if (offset < traffic.length) {
                    int n = Math.min(pieceSize, traffic.length - offset);
                    parser.feed(traffic, offset, n);
                    offset += n;
                    continue;
                }
                if (eof && !out.closed) {
                    eof = false;
                    parser.feedEof();
                    continue;
                }
                return out;
            }
            switch (e) {
                case RequestHead h -> head = h;
                case ResponseHead h -> {
                    if (h.isInformational()) {
                        out.messages.add(new Message(h, "", new HttpHeaders()));
                    } else {
                        head = h;
                    }
                }
                case HttpEvent.BodyChunk c -> {
                    if (c.data().length == 0) throw new AssertionError("empty body chunk");
                    body.writeBytes(c.data());
                }
                case HttpEvent.MessageEnd end -> {
                    out.messages.add(new Message(head, body.toString(StandardCharsets.ISO_8859_1), end.trailers()));
                    head = null;
                    body.reset();
                }
                case HttpEvent.Closed c -> out.closed = true;
            }
        }
    }
}
