package org.tandem.referral.retention;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import javax.crypto.SecretKey;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.narayana.jta.QuarkusTransaction;

import org.tandem.platform.retention.RetentionKind;
import org.tandem.platform.retention.RetentionPolicy;
import org.tandem.referral.config.CaseFileConfig;
import org.tandem.referral.domain.Envelope;
import org.tandem.referral.persistence.HubKeyRotationRepository;
import org.tandem.referral.service.HubKeyRing;

/**
 * Rotates the hub key (docs/retention.md, "Backups"): re-wraps every live case-file data key that is wrapped
 * with an older hub key under the current one ({@code tandem.case-files.current-hub-key}), in batches, each in
 * its own transaction, skipping rows another transaction holds (the SQL is {@link HubKeyRotationRepository}'s).
 * Then, for each older hub key, it says what may happen to it: still in use (rows remain), kept until no backup
 * within its retention ({@code tandem.retention.backups}) can hold a data key wrapped with it, or retired: to be
 * removed from the configuration and destroyed. A data key deleted on withdrawal before the rotation lives on only
 * in backups taken before; once those have expired and the old hub key is destroyed, no copy opens the file any
 * more.
 */
@ApplicationScoped
public class HubKeyRotation {

    public static final int DEFAULT_BATCH = 100;
    public static final int MAX_BATCH = 10_000;

    @Inject
    HubKeyRotationRepository repository;

    @Inject
    CaseFileConfig config;

    @Inject
    RetentionPolicy policy;

    @Inject
    Clock clock;

    /** What became of an older hub key. */
    public enum State {
        /** Live data keys are still wrapped with it (rows that were busy): run the rotation again. */
        IN_USE,
        /** No live data key uses it, but a backup within its retention may: keep it until {@code retireAt}. */
        KEPT_FOR_BACKUPS,
        /** No live data key and no backup within its retention uses it: remove it from configuration, destroy it. */
        RETIRED
    }

    /** @param remaining live data keys still wrapped with it; @param retireAt when it may be destroyed, if known */
    public record OldKey(String id, State state, long remaining, Instant retireAt) {}

    /** @param rewrapped data keys re-wrapped in this run */
    public record Report(String currentKeyId, int rewrapped, List<OldKey> oldKeys) {
        public long remainingTotal() {
            return oldKeys.stream().mapToLong(OldKey::remaining).sum();
        }
    }

    public Report run(int batchSize) {
        if (batchSize < 1 || batchSize > MAX_BATCH) {
            throw new IllegalArgumentException("the batch size must be 1 to " + MAX_BATCH);
        }
        Map<String, SecretKey> keys = new HashMap<>();
        config.hubKeys()
                .forEach((id, b64) ->
                        keys.put(id, Envelope.key(Base64.getDecoder().decode(b64.strip()))));
        String current = config.currentHubKey();
        if (!keys.containsKey(current)) {
            throw new IllegalStateException(
                    "tandem.case-files.current-hub-key names no key in tandem.case-files.hub-keys");
        }
        int rewrapped = 0;
        while (true) {
            int[] done = QuarkusTransaction.requiringNew().call(() -> batch(keys, current, batchSize));
            rewrapped += done[1];
            if (done[0] < batchSize) {
                break;
            }
        }
        return new Report(current, rewrapped, settle(keys.keySet(), current));
    }

    /** One batch: [rows read, rows re-wrapped]. */
    private int[] batch(Map<String, SecretKey> keys, String current, int batchSize) {
        List<HubKeyRotationRepository.WrappedKey> rows = repository.lockWrappedWithOtherThan(current, batchSize);
        int done = 0;
        for (HubKeyRotationRepository.WrappedKey row : rows) {
            UUID referral = row.referralId();
            String old = row.hubKeyId();
            SecretKey oldKey = keys.get(old);
            if (oldKey == null) {
                throw new IllegalStateException("a data key is wrapped with hub key '" + old
                        + "', which is not configured; add it back to tandem.case-files.hub-keys and run again");
            }
            SecretKey dataKey =
                    Envelope.unwrap(oldKey, row.wrappedKey(), HubKeyRing.dataKeyAssociatedData(referral, old));
            byte[] wrapped =
                    Envelope.wrap(keys.get(current), dataKey, HubKeyRing.dataKeyAssociatedData(referral, current));
            done += repository.rewrap(referral, current, wrapped);
        }
        return new int[] {rows.size(), done};
    }

    /** The state of each configured key other than the current one, and of every key wrapped data keys still name. */
    private List<OldKey> settle(java.util.Set<String> configured, String current) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Instant now = clock.instant();
            Map<String, Long> remaining = new TreeMap<>();
            configured.stream().filter(id -> !id.equals(current)).forEach(id -> remaining.put(id, 0L));
            remaining.putAll(repository.countWrappedWithOtherThan(current));
            List<OldKey> out = new ArrayList<>();
            for (var e : remaining.entrySet()) {
                String id = e.getKey();
                if (e.getValue() > 0) {
                    repository.markInUse(id);
                    out.add(new OldKey(id, State.IN_USE, e.getValue(), null));
                    continue;
                }
                Instant unusedSince = repository.unusedSince(id, now);
                // a backup taken before unusedSince may hold data keys wrapped with it; the last such expires then
                Instant retireAt = unusedSince
                        .atZone(java.time.ZoneOffset.UTC)
                        .plus(policy.period(RetentionKind.BACKUPS))
                        .toInstant();
                if (now.isBefore(retireAt)) {
                    out.add(new OldKey(id, State.KEPT_FOR_BACKUPS, 0, retireAt));
                } else {
                    repository.retire(id, now);
                    out.add(new OldKey(id, State.RETIRED, 0, retireAt));
                }
            }
            return out;
        });
    }

    /** The hub keys by state, for the command's output. */
    public static Map<State, List<String>> byState(Report report) {
        Map<State, List<String>> out = new LinkedHashMap<>();
        report.oldKeys()
                .forEach(k ->
                        out.computeIfAbsent(k.state(), s -> new ArrayList<>()).add(k.id()));
        return out;
    }
}
