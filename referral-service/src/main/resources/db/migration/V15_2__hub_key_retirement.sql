-- The hub-key rotation (docs/retention.md, "Backups"): when a configured hub key stopped wrapping any live
-- data key, and when the rotation declared it safe to destroy (no backup within its retention holds it).
create table hub_key_retirement (
    hub_key_id    text        primary key,
    unused_since  timestamptz not null,
    retired_at    timestamptz
);
