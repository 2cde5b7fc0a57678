package org.tandem.platform.tracing;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * A trace's W3C {@code traceparent} (version, trace id, span id, flags: nothing else) kept beside work that
 * finishes later in another thread or process: the outbox row, a Kafka record's header, a stored webhook
 * delivery. So one referral change can be followed from the caseworker's request to the partner's webhook
 * (docs/operations.md, "Traces"). Never baggage or trace state: those could carry anything.
 */
public final class TraceParents {

    public static final String HEADER = "traceparent";
    /** "00-" + 32 hex + "-" + 16 hex + "-" + 2 hex. */
    public static final int LENGTH = 55;

    private static final TextMapGetter<String> FROM_VALUE = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of(HEADER);
        }

        @Override
        public String get(String carrier, String key) {
            return HEADER.equals(key) ? carrier : null;
        }
    };

    private TraceParents() {}

    /** The current span's traceparent, or null when there is none (tracing off, or no span). */
    public static String current() {
        return of(Span.current().getSpanContext());
    }

    /** The span's traceparent, or null when it is not a valid (recorded or propagated) span. */
    public static String of(SpanContext span) {
        if (span == null || !span.isValid()) {
            return null;
        }
        return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-"
                + span.getTraceFlags().asHex();
    }

    /**
     * The context that a stored or received traceparent names, as the parent of new work. A value that is
     * missing, too long or malformed (it may come from a record header, which is input too) gives the root
     * context: the work starts a trace of its own.
     */
    public static Context parent(String traceParent) {
        if (traceParent == null || traceParent.length() != LENGTH) {
            return Context.root();
        }
        Context extracted = W3CTraceContextPropagator.getInstance().extract(Context.root(), traceParent, FROM_VALUE);
        return Span.fromContext(extracted).getSpanContext().isValid() ? extracted : Context.root();
    }

    /**
     * {@link #parent(String)} of a Kafka record's last {@code traceparent} header. The header is input like any
     * other: one of the wrong length or not ASCII gives the root context.
     */
    public static Context parent(Headers headers) {
        Header h = headers == null ? null : headers.lastHeader(HEADER);
        if (h == null || h.value() == null || h.value().length != LENGTH) {
            return Context.root();
        }
        return parent(new String(h.value(), StandardCharsets.US_ASCII));
    }

    /** Writes the span's traceparent through the setter (for example into Kafka record headers). */
    public static <C> void inject(SpanContext span, C carrier, TextMapSetter<C> setter) {
        String value = of(span);
        if (value != null) {
            setter.set(carrier, HEADER, value);
        }
    }
}
