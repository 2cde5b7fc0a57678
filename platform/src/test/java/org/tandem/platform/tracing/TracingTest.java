package org.tandem.platform.tracing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TracingTest {

    /** Collects ended spans, as an exporter would see them. */
    static final class Ended implements SpanProcessor {
        final List<ReadableSpan> spans = new ArrayList<>();

        @Override
        public void onStart(Context parentContext, ReadWriteSpan span) {}

        @Override
        public boolean isStartRequired() {
            return false;
        }

        @Override
        public void onEnd(ReadableSpan span) {
            spans.add(span);
        }

        @Override
        public boolean isEndRequired() {
            return true;
        }
    }

    final Ended ended = new Ended();
    final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(new RedactingSpanProcessor())
            .addSpanProcessor(ended)
            .build();
    final Tracer tracer = provider.get("test");

    @Test
    void attributes_off_the_allow_list_leave_only_as_redacted() {
        tracer.spanBuilder("GET /api/v1/referrals/{id}")
                .setAttribute("http.route", "/api/v1/referrals/{id}")
                .setAttribute("client.address", "203.0.113.7")
                .setAttribute("user_agent.original", "Mozilla/5.0")
                .setAttribute("url.query", "q=Jane")
                .setAttribute(AttributeKey.longKey("server.port"), 8080L)
                .startSpan()
                .end();

        var attributes = ended.spans.get(0).getAttributes().asMap();
        Map<String, Object> byKey = new HashMap<>();
        attributes.forEach((k, v) -> byKey.put(k.getKey(), v));
        assertThat(byKey)
                .containsEntry("http.route", "/api/v1/referrals/{id}")
                .containsEntry("server.port", 8080L)
                .containsEntry("client.address", SpanAttributePolicy.REDACTED)
                .containsEntry("user_agent.original", SpanAttributePolicy.REDACTED)
                .containsEntry("url.query", SpanAttributePolicy.REDACTED);
    }

    @Test
    void attributes_added_while_a_span_runs_or_ends_are_redacted_too() {
        Span span = tracer.spanBuilder("POST /api/v1/referrals")
                .setAttribute("http.route", "/api/v1/referrals")
                .startSpan();
        span.setAttribute("url.query", "name=Jane");
        span.setAttribute(AttributeKey.longKey("http.response.body.size"), 42L);
        span.end();

        Map<String, Object> byKey = new HashMap<>();
        ended.spans.get(0).getAttributes().asMap().forEach((k, v) -> byKey.put(k.getKey(), v));
        assertThat(byKey)
                .containsEntry("url.query", SpanAttributePolicy.REDACTED)
                .containsEntry("http.response.body.size", 42L)
                .containsEntry("http.route", "/api/v1/referrals");
    }

    @Test
    void a_traceparent_round_trips_through_storage_and_joins_the_trace() {
        Span request = tracer.spanBuilder("request").startSpan();
        String stored;
        try (Scope ignored = request.makeCurrent()) {
            stored = TraceParents.current();
        } finally {
            request.end();
        }
        assertThat(stored)
                .hasSize(TraceParents.LENGTH)
                .isEqualTo("00-" + request.getSpanContext().getTraceId() + "-"
                        + request.getSpanContext().getSpanId() + "-01");

        Span later = tracer.spanBuilder("publish")
                .setParent(TraceParents.parent(stored))
                .startSpan();
        later.end();
        assertThat(later.getSpanContext().getTraceId())
                .isEqualTo(request.getSpanContext().getTraceId());
        assertThat(ended.spans.get(1).getParentSpanContext().getSpanId())
                .isEqualTo(request.getSpanContext().getSpanId());
    }

    @Test
    void a_record_header_names_the_parent_and_a_hostile_one_starts_a_trace_of_its_own() {
        Span request = tracer.spanBuilder("publish").startSpan();
        String value = TraceParents.of(request.getSpanContext());
        request.end();
        var headers = new org.apache.kafka.common.header.internals.RecordHeaders();
        headers.add(TraceParents.HEADER, "00-zz".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        headers.add(TraceParents.HEADER, value.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThat(Span.fromContext(TraceParents.parent(headers))
                        .getSpanContext()
                        .getSpanId())
                .as("the last header counts")
                .isEqualTo(request.getSpanContext().getSpanId());

        var hostile = new org.apache.kafka.common.header.internals.RecordHeaders();
        hostile.add(TraceParents.HEADER, ("00-" + "a".repeat(32) + "-" + "b".repeat(16) + "-01x").getBytes());
        assertThat(Span.fromContext(TraceParents.parent(hostile))
                        .getSpanContext()
                        .isValid())
                .isFalse();
        assertThat(Span.fromContext(TraceParents.parent(new org.apache.kafka.common.header.internals.RecordHeaders()))
                        .getSpanContext()
                        .isValid())
                .isFalse();
    }

    @Test
    void without_a_span_or_with_a_malformed_value_work_starts_a_trace_of_its_own() {
        assertThat(TraceParents.current()).isNull();
        for (String hostile : new String[] {
            null,
            "",
            "00-zz",
            "00-" + "0".repeat(32) + "-" + "0".repeat(16) + "-01",
            "00-" + "a".repeat(32) + "-" + "b".repeat(16) + "-01" + "x".repeat(100),
            "not a traceparent at all, but 55 chars long......"
        }) {
            assertThat(Span.fromContext(TraceParents.parent(hostile))
                            .getSpanContext()
                            .isValid())
                    .as(hostile)
                    .isFalse();
        }
    }
}
