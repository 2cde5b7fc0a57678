package org.tandem.devstack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HexFormat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The local trace sink speaks OTLP/HTTP as a collector does, and is bounded like every other input. */
class TraceSinkTest {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    @Test
    void keeps_what_a_service_exports_and_shows_one_trace(@TempDir Path dir) throws Exception {
        try (TraceSink sink = TraceSink.start(0, dir.resolve("traces.jsonl"))) {
            var response = post(
                    sink,
                    request("referral-service", TRACE, "00f067aa0ba902b7", "POST /api/v1/referrals")
                            .toByteArray());
            assertThat(response.statusCode()).isEqualTo(200);
            post(
                    sink,
                    request("notification-service", "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", "other")
                            .toByteArray());

            assertThat(sink.spans()).hasSize(2);
            var trace = sink.trace(TRACE);
            assertThat(trace).singleElement().satisfies(s -> {
                assertThat(s.path("service").asText()).isEqualTo("referral-service");
                assertThat(s.path("spanId").asText()).isEqualTo("00f067aa0ba902b7");
                assertThat(s.path("kind").asText()).isEqualTo("SERVER");
                assertThat(s.path("attributes").path("http.route").asText()).isEqualTo("/api/v1/referrals");
            });
            var shown = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sink.port() + "/api/traces/" + TRACE))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(shown.statusCode()).isEqualTo(200);
            assertThat(shown.body()).contains("00f067aa0ba902b7").doesNotContain("b7ad6b7169203331");
        }
    }

    @Test
    void refuses_what_is_not_an_export_or_is_too_large(@TempDir Path dir) throws Exception {
        try (TraceSink sink = TraceSink.start(0, dir.resolve("traces.jsonl"))) {
            assertThat(post(sink, new byte[] {(byte) 0xff, (byte) 0xff, 0x01}).statusCode())
                    .isEqualTo(400);
            assertThat(post(sink, new byte[TraceSink.MAX_REQUEST_BYTES + 1]).statusCode())
                    .isEqualTo(413);
            assertThat(sink.spans()).isEmpty();
        }
    }

    static HttpResponse<String> post(TraceSink sink, byte[] body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sink.port() + "/v1/traces"))
                        .header("Content-Type", "application/x-protobuf")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static ExportTraceServiceRequest request(String service, String traceId, String spanId, String name) {
        Span span = Span.newBuilder()
                .setTraceId(ByteString.copyFrom(HexFormat.of().parseHex(traceId)))
                .setSpanId(ByteString.copyFrom(HexFormat.of().parseHex(spanId)))
                .setName(name)
                .setKind(Span.SpanKind.SPAN_KIND_SERVER)
                .addAttributes(KeyValue.newBuilder()
                        .setKey("http.route")
                        .setValue(AnyValue.newBuilder().setStringValue("/api/v1/referrals")))
                .build();
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(Resource.newBuilder()
                                .addAttributes(KeyValue.newBuilder()
                                        .setKey("service.name")
                                        .setValue(AnyValue.newBuilder().setStringValue(service))))
                        .addScopeSpans(ScopeSpans.newBuilder().addSpans(span)))
                .build();
    }
}
