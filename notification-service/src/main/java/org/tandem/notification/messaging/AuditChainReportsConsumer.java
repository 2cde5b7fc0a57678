package org.tandem.notification.messaging;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.reactive.messaging.annotations.Blocking;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import org.tandem.notification.alert.AlertKind;
import org.tandem.notification.alert.Alerts;
import org.tandem.platform.audit.AnchorTopic;

/**
 * A service's report that its audit chain is broken or truncated against its last anchor (on
 * {@code tandem.audit-anchors.v1}, under {@code <service>/chain-broken}) becomes a coordinator alert. Anchors
 * themselves (keyed by the service alone) are not alerts. A report that is not what a service writes is logged by
 * its offset and dropped.
 */
@ApplicationScoped
public class AuditChainReportsConsumer {

    private static final Logger LOG = Logger.getLogger(AuditChainReportsConsumer.class);
    private static final int MAX_REPORT_CHARS = 4096;
    private static final Set<String> STATUSES = Set.of("BROKEN", "TRUNCATED");

    @Inject
    Alerts alerts;

    @Inject
    ObjectMapper json;

    @Incoming("audit-anchors")
    @Blocking(ordered = true)
    @Transactional
    public void on(ConsumerRecord<String, String> record) {
        String key = record.key();
        if (key == null || !key.endsWith(AnchorTopic.BROKEN_SUFFIX)) {
            return;
        }
        Map<String, Object> data = report(record.value());
        if (data == null || !key.equals(data.get("service") + AnchorTopic.BROKEN_SUFFIX)) {
            LOG.warnf(
                    "dropped an audit chain report that is not well formed: partition %d, offset %d",
                    record.partition(), record.offset());
            return;
        }
        alerts.toCoordinators(AlertKind.AUDIT_CHAIN_BROKEN, data);
    }

    /** The alert's data: service, status, first broken seq, anchor seq, detection time; null when malformed. */
    Map<String, Object> report(String value) {
        if (value == null || value.length() > MAX_REPORT_CHARS) {
            return null;
        }
        try {
            JsonNode n = json.readTree(value);
            String service = n.path("service").asText("");
            String status = n.path("status").asText("");
            if (!service.matches("[a-z][a-z0-9-]{0,62}")
                    || !STATUSES.contains(status)
                    || !(n.path("firstBrokenSeq").isIntegralNumber())) {
                return null;
            }
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("service", service);
            data.put("status", status);
            data.put("firstBrokenSeq", n.path("firstBrokenSeq").asLong());
            data.put(
                    "anchorSeq",
                    n.path("anchorSeq").isIntegralNumber() ? n.path("anchorSeq").asLong() : null);
            String detected = n.path("detectedAt").asText("");
            data.put("detectedAt", detected.length() <= 40 ? detected : null);
            return data;
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }
}
