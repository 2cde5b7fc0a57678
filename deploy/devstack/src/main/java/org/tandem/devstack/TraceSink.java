package org.tandem.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * The local stack's trace collector: it takes what the services export over OTLP/HTTP ({@code POST /v1/traces},
 * protobuf), appends one JSON line per span to {@code logs/traces.jsonl} in the state dir, and shows one trace at
 * {@code GET /api/traces/<trace id>}. A stand-in for an OpenTelemetry Collector, which is not on Maven Central;
 * the services speak the same protocol to either. It starts with the services, like the SMTP sink.
 */
public final class TraceSink implements AutoCloseable {

    static final String NAME = "trace-sink";
    /** An export request larger than this is refused (413): the sink is bounded like everything else. */
    static final int MAX_REQUEST_BYTES = 4 * 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Path file;

    private TraceSink(HttpServer server, Path file) {
        this.server = server;
        this.file = file;
    }

    /** Starts a sink in this JVM on the port (0: any free port), writing to the file. */
    public static TraceSink start(int port, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
        TraceSink sink = new TraceSink(server, file);
        server.createContext("/v1/traces", sink::receive);
        server.createContext("/api/traces/", sink::show);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "trace-sink");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        return sink;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public Path file() {
        return file;
    }

    /** The spans received so far that belong to the trace, in the order they arrived. */
    public List<JsonNode> trace(String traceId) {
        return read(file).stream()
                .filter(s -> traceId.equals(s.path("traceId").asText()))
                .toList();
    }

    /** Every span received so far. */
    public List<JsonNode> spans() {
        return read(file);
    }

    static List<JsonNode> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            List<JsonNode> out = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    out.add(JSON.readTree(line));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void receive(HttpExchange ex) throws IOException {
        try (ex) {
            if (!"POST".equals(ex.getRequestMethod())) {
                ex.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readNBytes(MAX_REQUEST_BYTES + 1);
            }
            if (body.length > MAX_REQUEST_BYTES) {
                ex.sendResponseHeaders(413, -1);
                return;
            }
            ExportTraceServiceRequest request;
            try {
                request = ExportTraceServiceRequest.parseFrom(body);
            } catch (IOException e) {
                ex.sendResponseHeaders(400, -1);
                return;
            }
            try {
                append(lines(request));
            } catch (IOException | RuntimeException e) {
                ex.sendResponseHeaders(500, -1);
                return;
            }
            ex.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            ex.sendResponseHeaders(200, 0); // an empty ExportTraceServiceResponse: everything accepted
        }
    }

    private synchronized void append(List<String> lines) throws IOException {
        if (!lines.isEmpty()) {
            Files.writeString(
                    file,
                    String.join("\n", lines) + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
    }

    static List<String> lines(ExportTraceServiceRequest request) throws IOException {
        List<String> lines = new ArrayList<>();
        for (ResourceSpans rs : request.getResourceSpansList()) {
            Map<String, Object> resource = attributes(rs.getResource().getAttributesList());
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span span : ss.getSpansList()) {
                    Map<String, Object> line = new LinkedHashMap<>();
                    line.put("service", resource.getOrDefault("service.name", ""));
                    line.put("traceId", hex(span.getTraceId()));
                    line.put("spanId", hex(span.getSpanId()));
                    line.put("parentSpanId", hex(span.getParentSpanId()));
                    line.put("name", span.getName());
                    line.put("kind", span.getKind().name().replace("SPAN_KIND_", ""));
                    line.put("startNanos", span.getStartTimeUnixNano());
                    line.put("endNanos", span.getEndTimeUnixNano());
                    line.put("status", span.getStatus().getCode().name().replace("STATUS_CODE_", ""));
                    line.put("attributes", attributes(span.getAttributesList()));
                    List<Map<String, Object>> events = new ArrayList<>();
                    for (Span.Event e : span.getEventsList()) {
                        events.add(Map.of("name", e.getName(), "attributes", attributes(e.getAttributesList())));
                    }
                    line.put("events", events);
                    line.put("links", span.getLinksCount());
                    lines.add(JSON.writeValueAsString(line));
                }
            }
        }
        return lines;
    }

    private static Map<String, Object> attributes(List<KeyValue> kvs) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (KeyValue kv : kvs) {
            out.put(kv.getKey(), value(kv.getValue()));
        }
        return out;
    }

    private static Object value(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case BOOL_VALUE -> v.getBoolValue();
            case INT_VALUE -> v.getIntValue();
            case DOUBLE_VALUE -> v.getDoubleValue();
            case ARRAY_VALUE ->
                v.getArrayValue().getValuesList().stream().map(TraceSink::value).toList();
            case BYTES_VALUE -> hex(v.getBytesValue());
            default -> v.toString();
        };
    }

    private static String hex(ByteString b) {
        return HexFormat.of().formatHex(b.toByteArray());
    }

    private void show(HttpExchange ex) throws IOException {
        try (ex) {
            String traceId = ex.getRequestURI().getPath().substring("/api/traces/".length());
            if (!"GET".equals(ex.getRequestMethod()) || !traceId.matches("[0-9a-f]{32}")) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = JSON.writeValueAsBytes(trace(traceId));
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** The standalone process: {@code TraceSink <port> <file>}. */
    public static void main(String[] args) throws Exception {
        TraceSink sink = start(Integer.parseInt(args[0]), Path.of(args[1]));
        System.out.println("trace sink on port " + sink.port() + ", writing " + sink.file());
        Thread.currentThread().join();
    }

    // --- as a process of the local stack, started with the services ---

    /** The file the stack's sink writes: one JSON object per span. */
    public static Path file(StackConfig cfg) {
        return cfg.logDir().resolve("traces.jsonl");
    }

    /** The spans that the stack's sink has written so far. */
    public static List<JsonNode> spans(StackConfig cfg) {
        return read(file(cfg));
    }

    static void startIfDown(StackConfig cfg) {
        if (Processes.running(cfg, NAME).isPresent()) {
            return;
        }
        int port = cfg.port(Port.TRACES);
        if (!Infrastructure.isFree(port)) {
            // traces are not essential: the services drop spans they cannot export
            System.out.println("[devstack] WARNING: port " + port + " for the trace sink is in use by a process this"
                    + " state dir did not start, so the sink is not started. Choose another with TANDEM_PORT_TRACES.");
            return;
        }
        List<String> cmd = List.of(
                Processes.javaBinary(),
                "-Xms8m",
                "-Xmx64m",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                TraceSink.class.getName(),
                Integer.toString(port),
                file(cfg).toAbsolutePath().toString());
        ProcessHandle h;
        try {
            h = Processes.launch(cfg, NAME, cmd, cfg.stateDir().resolve(NAME), Map.of());
        } catch (IOException e) {
            throw new StackException("could not start the trace sink: " + e, e);
        }
        try {
            Wait.until(
                    "the trace sink on port " + port, Duration.ofSeconds(30), h, cfg.logFile(NAME), () -> healthy(cfg));
        } catch (RuntimeException e) {
            stop(cfg);
            System.out.println("[devstack] WARNING: the trace sink did not start (" + e.getMessage() + ")");
            return;
        }
        System.out.println("[devstack] trace sink ready on port " + port + "; spans go to " + file(cfg));
    }

    static boolean healthy(StackConfig cfg) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", cfg.port(Port.TRACES)), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static void stop(StackConfig cfg) {
        Processes.stop(cfg, NAME, Duration.ofSeconds(5));
    }

    static Optional<Infrastructure.Status> status(StackConfig cfg) {
        Optional<ProcessHandle> h = Processes.running(cfg, NAME);
        if (h.isEmpty() && Processes.readPid(cfg, NAME).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Infrastructure.Status(
                NAME, h.map(ProcessHandle::pid).orElse(null), cfg.port(Port.TRACES), h.isPresent() && healthy(cfg)));
    }
}
