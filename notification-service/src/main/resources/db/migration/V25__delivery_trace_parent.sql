-- The W3C traceparent of the consumption that queued the delivery (ids only), so that each webhook attempt joins
-- the trace of the referral change it tells (docs/operations.md, "Traces").
alter table webhook_delivery add column trace_parent varchar(55);
