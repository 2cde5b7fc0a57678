package org.tandem.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for what ordinary clients do not send: a body with
 * {@code Transfer-Encoding: chunked} and no {@code Content-Length}, a stream held open to count it, or bytes that
 * are not HTTP/1.1 at all.
 */
public final class RawHttp implements AutoCloseable {

    /** A status, the headers (names in lower case) and, unless the answer is a stream, the body. */
    public record Answer(int status, Map<String, String> headers, String body) {}

    private final Socket socket;
    private final InputStream in;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    /**
     * Sends a request whose body goes in chunks of at most 8 KiB, without a length, and reads the answer.
     *
     * @param body the body, or null for none
     */
    public static Answer chunked(int port, String method, String path, Map<String, String> headers, byte[] body)
            throws IOException {
        try (RawHttp http = open(port, method, path, headers, body)) {
            return http.readAnswer(true);
        }
    }

    /**
     * Sends the request and reads the status and headers only: the connection stays open (an event stream)
     * until {@link #close()}.
     */
    public static RawHttp stream(int port, String path, Map<String, String> headers) throws IOException {
        return open(port, "GET", path, headers, null);
    }

    /**
     * Writes the bytes on a new connection and returns what comes back up to the end of the first line (or all of
     * it, if the server closes the connection or sends no line end within 3 s): a status line, or what a server
     * that took the bytes for another protocol sent instead, such as HTTP/2 frames.
     */
    public static String firstLine(int port, byte[] opening) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(3_000);
            OutputStream out = socket.getOutputStream();
            out.write(opening);
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder answer = new StringBuilder();
            byte[] buffer = new byte[4096];
            int read;
            try {
                while (answer.indexOf("\r\n") < 0 && (read = in.read(buffer)) >= 0) {
                    answer.append(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
                }
            } catch (SocketTimeoutException noLineEnd) {
                // a binary answer has no line end: what came so far is the answer, for the caller's assertion
            }
            return answer.toString();
        }
    }

    private static RawHttp open(int port, String method, String path, Map<String, String> headers, byte[] body)
            throws IOException {
        Socket socket = new Socket("localhost", port);
        socket.setSoTimeout(30_000);
        RawHttp http = new RawHttp(socket);
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: localhost:" + port + "\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        if (body != null) {
            head.append("Transfer-Encoding: chunked\r\n");
        }
        head.append("\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
            try {
                for (int at = 0; at < body.length; at += 8192) {
                    int n = Math.min(8192, body.length - at);
                    out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.write(body, at, n);
                    out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            } catch (IOException refusedEarly) {
                // the server answered and closed before the whole body was sent: read its answer
            }
        }
        out.flush();
        return http;
    }

    /** The answer's status and headers, as the stream opened. */
    public Answer head() throws IOException {
        return readAnswer(false);
    }

    private Answer readAnswer(boolean withBody) throws IOException {
        String status = line();
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h = line(); !h.isEmpty(); h = line()) {
            int colon = h.indexOf(':');
            headers.put(
                    h.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    h.substring(colon + 1).trim());
        }
        int code = Integer.parseInt(status.split(" ")[1]);
        String body = null;
        if (withBody || code != 200) {
            body = body(headers);
        }
        return new Answer(code, headers, body);
    }

    private String body(Map<String, String> headers) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (headers.containsKey("content-length")) {
            out.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (int n = Integer.parseInt(line().split(";")[0].trim(), 16);
                    n > 0;
                    n = Integer.parseInt(line().split(";")[0].trim(), 16)) {
                out.write(in.readNBytes(n));
                line();
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private String line() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the connection closed in the middle of an answer");
            }
            if (b != '\r') {
                out.write(b);
            }
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
