package org.tandem.notification.alert;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import org.tandem.notification.persistence.AlertEntity;

/**
 * Raises alerts: stores them in the caller's transaction (with whom to e-mail), and after the commit the
 * live feeds of every instance show them ({@link AlertNotifications}) and {@link AlertMailer} sends their e-mail. Alert payloads are thin like webhooks:
 * kind, ids, codes and time.
 */
@ApplicationScoped
public class Alerts {

    @Inject
    ObjectMapper json;

    @Inject
    Clock clock;

    @Inject
    Event<AlertRaised> raised;

    /** Where coordinator alerts are e-mailed: the network's coordination mailbox(es). */
    @ConfigProperty(name = "tandem.alerts.coordinator-emails")
    Optional<List<String>> coordinatorEmails;

    @Transactional(Transactional.TxType.MANDATORY)
    public AlertEntity toCoordinators(AlertKind kind, Map<String, Object> data) {
        return raise(
                kind,
                null,
                data,
                coordinatorEmails.map(l -> String.join(",", l)).orElse(null));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public AlertEntity toOrganisation(AlertKind kind, UUID organisationId, Map<String, Object> data, String email) {
        return raise(kind, organisationId, data, email == null || email.isBlank() ? null : email);
    }

    private AlertEntity raise(AlertKind kind, UUID audience, Map<String, Object> data, String emailTo) {
        Instant now = clock.instant();
        var a = new AlertEntity();
        a.id = UUID.randomUUID();
        a.kind = kind.name();
        a.audienceOrganisationId = audience;
        a.createdAt = now;
        a.emailTo = emailTo;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", a.id.toString());
        body.put("kind", kind.name());
        body.put("occurredAt", now.toString());
        body.put("data", data);
        try {
            a.payload = json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        a.persistAndFlush();
        // every instance's live feed learns of it at commit (AlertNotifications); the number only
        AlertEntity.notifyRaised(AlertNotifications.CHANNEL, a.seq);
        raised.fire(new AlertRaised(a.seq, a.id, kind, audience, a.payload));
        return a;
    }
}
