package org.tandem.notification.delivery;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;

import org.tandem.notification.domain.RetryAfter;
import org.tandem.notification.domain.RetrySchedule;
import org.tandem.notification.persistence.WebhookAttemptEntity;
import org.tandem.notification.persistence.WebhookDeliveryEntity;
import org.tandem.notification.persistence.WebhookDeliveryRepository;
import org.tandem.notification.persistence.WebhookEndpointRepository.Failures;

/**
 * Stores an attempt's result in a transaction of its own: the attempt log row, and the delivery delivered (one
 * statement, {@link WebhookDeliveryRepository#recordDelivered}; committed by itself, {@link
 * WebhookDeliveryRepository#recordDeliveredAlone}, when the endpoint was healthy and stays so), due again on the
 * retry schedule ({@code Retry-After} on 429 and 503 wins), or dead after the last attempt. The endpoint's health
 * follows from the same result ({@link EndpointHealth}).
 */
@ApplicationScoped
public class AttemptRecorder {

    @Inject
    Clock clock;

    @Inject
    MeterRegistry meters;

    @Inject
    EndpointHealth health;

    @Inject
    WebhookDeliveryRepository deliveries;

    private RetrySchedule schedule = new RetrySchedule(new SecureRandom());

    /**
     * Records the outcome; returns whether it let a held delivery come due: a later delivery of the same referral to
     * the same endpoint, which the order rule kept back while this one was pending, now that this one is delivered
     * or dead. The dispatcher claims again after a finished request only then, or when its last claim left due
     * deliveries behind.
     */
    boolean record(ClaimedDelivery c, Instant attemptedAt, WebhookSender.Outcome outcome) {
        if (outcome.success() && c.endpointHealthy()) {
            // Nearly every webhook: the record is one statement and the endpoint's health has nothing to change, so
            // the statement commits on its own, without a transaction around it (one round trip instead of two).
            return deliveries
                    .recordDeliveredAlone(
                            c.seq(), attemptedAt, outcome.statusCode(), outcome.latencyMillis(), clock.instant())
                    .successorWaiting();
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            if (outcome.success()) {
                WebhookDeliveryRepository.Delivered delivered = deliveries.recordDelivered(
                        c.seq(), attemptedAt, outcome.statusCode(), outcome.latencyMillis(), clock.instant());
                if (delivered.recorded()) { // the endpoint had failures counted or an alert raised
                    health.succeeded(c.endpointId());
                }
                return delivered.successorWaiting();
            }
            WebhookDeliveryEntity d =
                    WebhookDeliveryEntity.find("id", c.deliveryId()).firstResult();
            if (d == null || !WebhookDeliveryEntity.PENDING.equals(d.status)) {
                return false;
            }
            Instant now = clock.instant();
            d.attempts++;
            d.lastStatusCode = outcome.statusCode();
            d.lastError = outcome.error();
            var attempt = new WebhookAttemptEntity();
            attempt.deliveryId = d.id;
            attempt.endpointId = d.endpointId;
            attempt.attempt = d.attempts;
            attempt.attemptedAt = attemptedAt;
            attempt.statusCode = outcome.statusCode();
            attempt.error = outcome.error();
            attempt.latencyMs = outcome.latencyMillis();
            attempt.persist();
            Integer status = outcome.statusCode();
            Failures failures = health.failed(d.endpointId, status, now);
            Optional<Duration> wait = schedule.waitAfter(d.attempts);
            if (wait.isPresent() && status != null && (status == 429 || status == 503)) {
                Optional<Duration> asked = RetryAfter.parse(outcome.retryAfter(), now);
                if (asked.isPresent()) {
                    wait = asked;
                }
            }
            if (wait.isPresent()) {
                d.nextAttemptAt = now.plus(wait.get());
            } else {
                d.status = WebhookDeliveryEntity.DEAD;
                d.deadAt = now;
                meters.counter("tandem.webhook.dead_letters").increment();
                health.deadLettered(d, failures);
            }
            health.alertIfFailing(d.endpointId, failures, status, now);
            // a retry keeps the referral's later deliveries held; a dead letter releases them
            return WebhookDeliveryEntity.DEAD.equals(d.status);
        });
    }

    /** For tests: a schedule with a known random source. */
    void useSchedule(RetrySchedule schedule) {
        this.schedule = schedule;
    }
}
