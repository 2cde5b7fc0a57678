package org.tandem.platform.tracing;

import jakarta.enterprise.context.ApplicationScoped;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.internal.ExtendedSpanProcessor;

/**
 * Keeps personal data out of traces. Instrumentation adds attributes that Tandem does not control (the
 * caller's IP address, the user agent, a path or query that a client typed), so every attribute whose key is
 * not on {@link SpanAttributePolicy#ALLOWED} has its value replaced before any exporter sees the span. What
 * stays are methods, route templates, status codes, topic names, event types and opaque ids. docs/operations.md, "Traces".
 *
 * <p>It redacts twice: when a span starts, and again while it is ending ({@link #onEnding}, which the SDK calls
 * before any processor's {@code onEnd} and so before any exporter), because instrumentation also adds attributes
 * at the end (body sizes, for example). Span events are not exported at all ({@code quarkus.otel.span.event.count.limit=0}):
 * an exception event carries the exception's message, and a message can quote what a client sent.
 * {@code ExtendedSpanProcessor} lives in the SDK's internal package; it is the SDK's one hook where a span can still
 * be changed after its work is done.
 */
@ApplicationScoped
public class RedactingSpanProcessor implements ExtendedSpanProcessor {

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
        redact(span);
    }

    @Override
    public boolean isStartRequired() {
        return true;
    }

    @Override
    public void onEnding(ReadWriteSpan span) {
        redact(span);
    }

    @Override
    public boolean isOnEndingRequired() {
        return true;
    }

    @Override
    public void onEnd(ReadableSpan span) {}

    @Override
    public boolean isEndRequired() {
        return false;
    }

    private static void redact(ReadWriteSpan span) {
        span.getAttributes().forEach((key, value) -> {
            if (!SpanAttributePolicy.ALLOWED.contains(key.getKey()) && !SpanAttributePolicy.REDACTED.equals(value)) {
                span.setAttribute(AttributeKey.stringKey(key.getKey()), SpanAttributePolicy.REDACTED);
            }
        });
    }
}
