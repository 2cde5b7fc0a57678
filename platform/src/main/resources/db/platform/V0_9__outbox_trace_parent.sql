-- The W3C traceparent of the request that wrote the event (ids only; org.tandem.platform.tracing.TraceParents),
-- so that the relay's publish, and everything after it, joins the request's trace.
alter table outbox_event add column trace_parent varchar(55);
