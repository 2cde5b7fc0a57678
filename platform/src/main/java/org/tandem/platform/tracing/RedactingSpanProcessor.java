package org.tandem.platform.tracing;

import jakarta.enterprise.context.ApplicationScoped;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * Keeps personal data out of traces. Instrumentation adds attributes that Tandem does not control (the
 * caller's IP address, the user agent, a path or query that a client typed), so every attribute whose key is
 * not on {@link SpanAttributePolicy#ALLOWED} has its value replaced before any exporter sees the span. What
 * stays are methods, route templates, status codes, topic names, event types and opaque ids. docs/operations.md, "Traces".
 */
@ApplicationScoped
public class RedactingSpanProcessor implements SpanProcessor {

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
        span.getAttributes().forEach((key, value) -> {
            if (!SpanAttributePolicy.ALLOWED.contains(key.getKey())) {
                span.setAttribute(AttributeKey.stringKey(key.getKey()), SpanAttributePolicy.REDACTED);
            }
        });
    }

    @Override
    public boolean isStartRequired() {
        return true;
    }

    @Override
    public void onEnd(ReadableSpan span) {
    }

    @Override
    public boolean isEndRequired() {
        return false;
    }
}
