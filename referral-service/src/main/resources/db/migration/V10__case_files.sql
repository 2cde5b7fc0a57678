-- End-to-end encrypted case files (docs/case-files.md). The hub holds only the sender's JWE, which it
-- cannot decrypt, and wraps even that with a per-referral data key (envelope encryption): the data key is
-- itself wrapped with a hub key from configuration. Withdrawal of consent deletes the data key
-- (crypto-shredding) in the same transaction as the WITHDRAWN transition.

create table case_file (
    referral_id      uuid primary key references referral (id),
    -- AES-256-GCM(data key) of the compact JWE: 12-byte nonce || ciphertext || tag; null once shredded
    sealed           bytea,
    receiver_kid     text        not null,
    data_categories  text[]      not null,
    size_bytes       integer     not null,
    uploaded_at      timestamptz not null,
    uploaded_by      text        not null,
    first_released_at timestamptz,
    release_count    integer     not null default 0,
    shredded_at      timestamptz
);

-- The per-referral data key, wrapped with a hub key. A row of its own, so that shredding is one delete.
create table case_file_key (
    referral_id   uuid primary key references case_file (referral_id),
    hub_key_id    text  not null,
    wrapped_key   bytea not null
);

-- The receiver's signed statement that it purged the file after withdrawal (a compact JWS).
create table deletion_receipt (
    referral_id   uuid primary key references referral (id),
    receipt       text        not null,
    signer_kid    text        not null,
    purged_at     timestamptz not null,
    received_at   timestamptz not null,
    received_by   text        not null
);
