package io.monitml.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.monitml.demo.GeneratedRequest;
import io.monitml.demo.HttpCloudEventSink;
import io.monitml.demo.SeldonEvent;

/** The raw-socket client: the request bytes built once per template, ids and time written into them in place. */
final class RawSender extends IngestSender {

    private static final byte[] CRLF_CRLF = {'\r', '\n', '\r', '\n'};
    private final int port;
    private final Template[] templates;
    private Socket socket;
    private OutputStream out;
    private InputStream in;
    private final byte[] buffer = new byte[16 * 1024];
    private int filled;

    RawSender(final int port, final String run, final int sender, final GeneratedRequest call) {
        this.port = port;
        final URI url = URI.create("http://127.0.0.1:" + port + "/");
        this.templates = new Template[] {new Template(url, call.request(), id(run, sender, "e"), id(run, sender, "c")),
            new Template(url, call.response(), id(run, sender, "e"), id(run, sender, "c"))};
    }

    @Override
    int exchange(final long sequence, final long nowMillis) {
        final Template template = templates[(int) (sequence & 1)];
        template.fill(sequence, sequence >>> 1, nowMillis);
        try {
            if (socket == null) {
                connect();
            }
            out.write(template.bytes);
            return readReply();
        } catch (IOException e) {
            closeSocket();
            return -1;
        }
    }

    private void connect() throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(IngestBenchmark.SOCKET_TIMEOUT_MILLIS);
        socket.connect(new InetSocketAddress("127.0.0.1", port), IngestBenchmark.SOCKET_TIMEOUT_MILLIS);
        out = socket.getOutputStream();
        in = socket.getInputStream();
        filled = 0;
    }

    /** Reads one answer: the status line, the headers (Content-Length, Connection: close) and the body, which it skips. */
    private int readReply() throws IOException {
        int headerEnd;
        while ((headerEnd = indexOf(buffer, filled, CRLF_CRLF)) < 0) {
            fill();
        }
        if (filled < 12 || buffer[0] != 'H' || buffer[8] != ' ') {
            throw new IOException("not an HTTP status line");
        }
        final int status = (buffer[9] - '0') * 100 + (buffer[10] - '0') * 10 + (buffer[11] - '0');
        final String headers = new String(buffer, 0, headerEnd, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        final int lengthAt = headers.indexOf("\r\ncontent-length:");
        if (lengthAt < 0) {
            throw new IOException("an answer without Content-Length");
        }
        int lengthEnd = headers.indexOf('\r', lengthAt + 2);
        lengthEnd = lengthEnd < 0 ? headers.length() : lengthEnd;
        final int length = Integer.parseInt(headers.substring(lengthAt + "\r\ncontent-length:".length(), lengthEnd).trim());
        final int total = headerEnd + CRLF_CRLF.length + length;
        if (total > buffer.length) {
            throw new IOException("an answer larger than " + buffer.length + " bytes");
        }
        while (filled < total) {
            fill();
        }
        // Strictly one request at a time: nothing follows the answer.
        filled = 0;
        if (headers.contains("\r\nconnection: close")) {
            closeSocket();
        }
        return status;
    }

    private void fill() throws IOException {
        if (filled == buffer.length) {
            throw new IOException("an answer's headers larger than " + buffer.length + " bytes");
        }
        final int read = in.read(buffer, filled, buffer.length - filled);
        if (read < 0) {
            throw new IOException("the server closed the connection");
        }
        filled += read;
    }

    private static int indexOf(final byte[] data, final int length, final byte[] pattern) {
        outer:
        for (int i = 0; i <= length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private void closeSocket() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing a failed connection: nothing left to do
            }
            socket = null;
        }
    }

    @Override
    public void close() {
        closeSocket();
    }

    /**
     * One event's POST as bytes: the demo's headers, with {@code Ce-Id} and {@code Ce-Requestid} ending in
     * {@value #DIGITS} digits and {@code Ce-Time} of fixed width, all three overwritten in place per event.
     */
    static final class Template {

        final byte[] bytes;
        private final int idAt;
        private final int callAt;
        private final int timeAt;
        private long timeSecond = -1;

        Template(final URI url, final SeldonEvent event, final String idPrefix, final String callPrefix) {
            final String zeros = "0".repeat(DIGITS);
            final String time = IngestBenchmark.EVENT_TIME.format(Instant.EPOCH);
            final Map<String, List<String>> headers = HttpCloudEventSink.request(url, event).headers().map();
            final StringBuilder head = new StringBuilder("POST / HTTP/1.1\r\nHost: 127.0.0.1:" + url.getPort() + "\r\n");
            final byte[] body = event.body();
            headers.forEach((name, values) -> {
                final String value = switch (name.toLowerCase(Locale.ROOT)) {
                    case "ce-id" -> idPrefix + zeros;
                    case "ce-requestid" -> callPrefix + zeros;
                    case "ce-time" -> time;
                    default -> values.get(0);
                };
                head.append(name).append(": ").append(value).append("\r\n");
            });
            head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
            final String text = head.toString();
            idAt = text.indexOf("\r\nCe-Id: ") + "\r\nCe-Id: ".length() + idPrefix.length();
            callAt = text.indexOf("\r\nCe-Requestid: ") + "\r\nCe-Requestid: ".length() + callPrefix.length();
            timeAt = text.indexOf("\r\nCe-Time: ") + "\r\nCe-Time: ".length();
            if (idAt < idPrefix.length() + 9 || callAt < callPrefix.length() + 16 || timeAt < 11) {
                throw new IllegalStateException("the demo's request has no Ce-Id, Ce-Requestid or Ce-Time: " + headers.keySet());
            }
            final byte[] headBytes = text.getBytes(StandardCharsets.ISO_8859_1);
            bytes = Arrays.copyOf(headBytes, headBytes.length + body.length);
            System.arraycopy(body, 0, bytes, headBytes.length, body.length);
        }

        void fill(final long event, final long call, final long nowMillis) {
            writeDigits(bytes, idAt, event);
            writeDigits(bytes, callAt, call);
            final long second = nowMillis / 1000;
            if (second != timeSecond) {
                timeSecond = second;
                final byte[] time = IngestBenchmark.EVENT_TIME.format(Instant.ofEpochMilli(nowMillis)).getBytes(StandardCharsets.ISO_8859_1);
                System.arraycopy(time, 0, bytes, timeAt, time.length);
            }
        }
    }
}
