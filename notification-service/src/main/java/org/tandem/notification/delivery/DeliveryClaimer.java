package org.tandem.notification.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.narayana.jta.QuarkusTransaction;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import org.tandem.notification.persistence.WebhookDeliveryRepository;
import org.tandem.notification.secrets.SecretEnvelope;
import org.tandem.notification.secrets.WebhookSecrets;

/**
 * Claims due deliveries for this instance. A delivery is claimed by pushing its next-attempt time past the
 * request timeout (a lease) and committing; a crash mid-flight leaves the lease to expire and the delivery is sent
 * again with the same {@code webhook-id}.
 */
@ApplicationScoped
public class DeliveryClaimer {

    private static final Logger LOG = Logger.getLogger(DeliveryClaimer.class);

    @Inject
    Clock clock;

    @Inject
    WebhookDeliveryRepository deliveries;

    @Inject
    WebhookSecrets secrets;

    @ConfigProperty(name = "tandem.webhooks.timeout", defaultValue = "PT15S")
    Duration timeout;

    /** How long past the request timeout a claimed delivery stays leased to the instance that claimed it. */
    @ConfigProperty(name = "tandem.webhooks.lease-margin", defaultValue = "PT30S")
    Duration leaseMargin;

    @ConfigProperty(name = "tandem.webhooks.per-endpoint", defaultValue = "8")
    int perEndpoint;

    /**
     * What a claim took, in queue order, and whether it left due deliveries behind: more were due than it could
     * take, or some were passed over because their endpoint had no free share, or the deliveries of the endpoints
     * already at their bound were not even looked at. Only then can a finished request make room for more.
     */
    record Claim(List<ClaimedDelivery> deliveries, boolean leftBehind) {}

    /**
     * Claims up to {@code max} due deliveries in one transaction with two statements, whatever {@code max}: the
     * due candidates are locked ({@link WebhookDeliveryRepository#lockDue}), and those within each endpoint's free
     * share ({@code tandem.webhooks.per-endpoint} less its requests in flight) are leased with one update that
     * returns what sending them needs, their endpoints' URLs and sealed secrets included.
     *
     * @param inFlight requests in flight per endpoint at this instance
     */
    Claim claim(int max, Map<UUID, Integer> inFlight) {
        List<UUID> busy = inFlight.entrySet().stream()
                .filter(en -> en.getValue() >= perEndpoint)
                .map(Map.Entry::getKey)
                .toList();
        return QuarkusTransaction.requiringNew().call(() -> {
            Instant now = clock.instant();
            List<Long> chosen = new ArrayList<>();
            Map<UUID, Integer> taken = new HashMap<>();
            List<WebhookDeliveryRepository.Due> due = deliveries.lockDue(now, busy, max * 4);
            for (WebhookDeliveryRepository.Due candidate : due) {
                if (chosen.size() == max) {
                    break;
                }
                int share = perEndpoint - inFlight.getOrDefault(candidate.endpointId(), 0);
                if (taken.getOrDefault(candidate.endpointId(), 0) < share) {
                    taken.merge(candidate.endpointId(), 1, Integer::sum);
                    chosen.add(candidate.seq());
                }
            }
            boolean leftBehind = !busy.isEmpty() || due.size() > chosen.size();
            if (chosen.isEmpty()) {
                return new Claim(List.of(), leftBehind);
            }
            List<WebhookDeliveryRepository.Leased> leased =
                    deliveries.lease(chosen, now.plus(timeout).plus(leaseMargin));
            List<ClaimedDelivery> claimed = new ArrayList<>(leased.size());
            for (WebhookDeliveryRepository.Leased l : leased) {
                List<String> signing;
                String ed25519;
                try {
                    signing = secrets.signingSecrets(l.secrets(), now);
                    ed25519 = secrets.ed25519PrivateKey(l.secrets());
                } catch (SecretEnvelope.SealedValueException unopenable) {
                    // Its key-encryption key is missing from the configuration (or the row was tampered with): this
                    // delivery stays leased and is tried again after the lease; the other endpoints go on.
                    LOG.errorf(
                            "webhook delivery %s to endpoint %s waits: %s",
                            l.id(), l.endpointId(), unopenable.getMessage());
                    continue;
                }
                claimed.add(new ClaimedDelivery(
                        l.seq(),
                        l.id(),
                        l.endpointId(),
                        l.url(),
                        signing,
                        ed25519,
                        l.payload(),
                        l.traceParent(),
                        l.endpointHealthy()));
            }
            claimed.sort(Comparator.comparingLong(ClaimedDelivery::seq));
            return new Claim(claimed, leftBehind);
        });
    }
}
