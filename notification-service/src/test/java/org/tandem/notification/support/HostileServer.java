package org.tandem.notification.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hostile webhook endpoint on loopback: a plain {@link ServerSocket} that answers with one of the
 * behaviours a member could put behind her endpoint to harm Tandem. It records every connection: when it
 * was accepted and when the peer (notification-service) closed it, so that a test sees whether the service
 * really tore the connection down. Its threads are started up front and named {@code hostile-...}, so that
 * they do not count as the service's.
 */
public final class HostileServer implements AutoCloseable {

    public enum Behaviour {
        /** 200, then a body without a length that never ends. */
        ENDLESS_BODY,
        /** 200 with a small Content-Length, then one byte a second. */
        DRIPPING_BODY,
        /** A status line, then header lines that never end. */
        ENDLESS_HEADERS,
        /** Accepts the connection, reads the request, never answers. */
        SILENT,
        /** Accepts TCP and reads the TLS ClientHello, never answers it (use {@link #httpsUrl}). */
        STALLED_TLS,
        /** 302 with a Location that points at itself, again and again. */
        REDIRECT_LOOP,
        /** 200 with Content-Length of 1 GB, then nothing. */
        HUGE_CONTENT_LENGTH
    }

    /** One connection: when it was accepted, and when the peer closed it (null while open). */
    public static final class Connection {
        public final Instant accepted = Instant.now();
        volatile Instant closedByPeer;
        volatile boolean open = true;

        public Instant closedByPeer() {
            return closedByPeer;
        }

        public boolean open() {
            return open;
        }
    }

    private static final int THREADS = 48;
    private static final AtomicInteger SERVERS = new AtomicInteger();

    private final Behaviour behaviour;
    private final ServerSocket server;
    private final ThreadPoolExecutor handlers;
    private final Thread acceptor;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile boolean closed;

    public HostileServer(Behaviour behaviour) {
        this.behaviour = behaviour;
        int n = SERVERS.incrementAndGet();
        try {
            server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        AtomicInteger t = new AtomicInteger();
        handlers = new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread th = new Thread(r, "hostile-" + n + "-" + t.incrementAndGet());
            th.setDaemon(true);
            return th;
        });
        handlers.prestartAllCoreThreads();
        acceptor = new Thread(this::acceptLoop, "hostile-" + n + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort() + "/hooks/hostile";
    }

    public String httpsUrl() {
        return "https://127.0.0.1:" + server.getLocalPort() + "/hooks/hostile";
    }

    public List<Connection> connections() {
        return List.copyOf(connections);
    }

    public long openConnections() {
        return connections.stream().filter(Connection::open).count();
    }

    /** Requests read completely (their head and body). */
    public int requests() {
        return requests.get();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = server.accept();
                sockets.add(s);
                Connection c = new Connection();
                connections.add(c);
                handlers.execute(() -> handle(s, c));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void handle(Socket s, Connection c) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            if (behaviour == Behaviour.SILENT || behaviour == Behaviour.STALLED_TLS) {
                drain(in);
                return;
            }
            while (readRequest(in)) {
                requests.incrementAndGet();
                switch (behaviour) {
                    case ENDLESS_BODY -> {
                        write(out, "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n\r\n");
                        byte[] chunk = new byte[16 * 1024];
                        while (true) {
                            out.write(chunk);
                        }
                    }
                    case DRIPPING_BODY -> {
                        write(out, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
                        s.setSoTimeout(1000);
                        for (int i = 0; i < 1000; i++) {
                            out.write('a');
                            out.flush();
                            if (peerClosedWithin(in)) {
                                return;
                            }
                        }
                        s.setSoTimeout(0);
                    }
                    case ENDLESS_HEADERS -> {
                        write(out, "HTTP/1.1 200 OK\r\n");
                        for (long i = 0; ; i++) {
                            write(out, "X-Padding-" + i + ": " + "a".repeat(100) + "\r\n");
                        }
                    }
                    case REDIRECT_LOOP ->
                        write(out, "HTTP/1.1 302 Found\r\nLocation: " + url() + "\r\nContent-Length: 0\r\n\r\n");
                    case HUGE_CONTENT_LENGTH -> {
                        write(out, "HTTP/1.1 200 OK\r\nContent-Length: 1073741824\r\n\r\n");
                        drain(in);
                        return;
                    }
                    default -> throw new IllegalStateException(behaviour.name());
                }
            }
        } catch (IOException e) {
            // the peer reset the connection
        } finally {
            if (!closed) {
                c.closedByPeer = Instant.now();
            }
            c.open = false;
        }
    }

    /** Reads one request's head and its Content-Length of body; false when the peer closed the connection first. */
    private static boolean readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return false;
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            if (head.size() > 64 * 1024) {
                throw new IOException("request head too long");
            }
        }
        long length = 0;
        for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        in.skipNBytes(length);
        return true;
    }

    /** Reads until the peer closes the connection. */
    private static void drain(InputStream in) throws IOException {
        byte[] buf = new byte[4096];
        while (in.read(buf) >= 0) {
            // discard
        }
    }

    /** Waits up to the socket's timeout for the peer to close the connection. */
    private static boolean peerClosedWithin(InputStream in) throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** The longest time any connection stayed open until the peer closed it. */
    public Duration longestConnection() {
        return connections.stream()
                .filter(c -> c.closedByPeer != null)
                .map(c -> Duration.between(c.accepted, c.closedByPeer))
                .max(Duration::compareTo)
                .orElse(Duration.ZERO);
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        handlers.shutdownNow();
        acceptor.interrupt();
    }
}
