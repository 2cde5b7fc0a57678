package org.tandem.notification.secrets;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.narayana.jta.QuarkusTransaction;

import org.tandem.notification.persistence.WebhookEndpointRepository;

/**
 * Re-wraps every stored secret that is sealed under an older key-encryption key: opens it with that key and
 * seals it again under the current one, in batches of endpoint rows, each batch in its own transaction.
 * Rows that another transaction holds are skipped and reported as remaining; running it again is harmless
 * (what is already under the current key is left alone). When nothing remains under an older key id, that
 * id can be removed from the configuration (docs/security.md, "Rotating the key-encryption key").
 */
@ApplicationScoped
public class SecretRewrap {

    public static final int DEFAULT_BATCH = 100;
    public static final int MAX_BATCH = 10_000;

    @Inject
    WebhookEndpointRepository endpoints;

    @Inject
    KeyEncryption kek;

    /**
     * @param currentKeyId the key everything is sealed under now
     * @param endpoints    endpoint rows re-wrapped
     * @param values       sealed values re-wrapped (up to three per row)
     * @param remaining    values still under another key id, by key id (rows that were busy, or written by an
     *                     instance that still runs with the old configuration)
     */
    public record Report(String currentKeyId, int endpoints, int values, Map<String, Long> remaining) {
        public long remainingTotal() {
            return remaining.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    public Report run(int batchSize) {
        if (batchSize < 1 || batchSize > MAX_BATCH) {
            throw new IllegalArgumentException("the batch size must be 1 to " + MAX_BATCH);
        }
        String current = kek.currentKeyId();
        int endpoints = 0;
        int values = 0;
        while (true) {
            int[] done = QuarkusTransaction.requiringNew().call(() -> batch(current, batchSize));
            endpoints += done[0];
            values += done[1];
            if (done[0] < batchSize) {
                break;
            }
        }
        return new Report(current, endpoints, values, remaining(current));
    }

    /** One batch: [rows re-wrapped, values re-wrapped]. */
    private int[] batch(String current, int batchSize) {
        List<WebhookEndpointRepository.SealedColumns> rows = endpoints.lockSealedUnderOtherKey(current, batchSize);
        int values = 0;
        for (WebhookEndpointRepository.SealedColumns row : rows) {
            List<String> sealed = new ArrayList<>(3);
            for (int i = 0; i < WebhookSecrets.COLUMNS.size(); i++) {
                String value = row.values().get(i);
                if (value != null && !SecretEnvelope.keyId(value).equals(current)) {
                    String context = WebhookSecrets.context(WebhookSecrets.COLUMNS.get(i), row.id());
                    value = kek.seal(kek.open(value, context), context);
                    values++;
                }
                sealed.add(value);
            }
            endpoints.updateSealed(
                    new WebhookEndpointRepository.SealedColumns(row.id(), sealed.get(0), sealed.get(1), sealed.get(2)));
        }
        return new int[] {rows.size(), values};
    }

    /** Sealed values under another key id than {@code current}, by key id. */
    public Map<String, Long> remaining(String current) {
        return QuarkusTransaction.requiringNew().call(() -> endpoints.sealedUnderOtherKeys(current));
    }
}
