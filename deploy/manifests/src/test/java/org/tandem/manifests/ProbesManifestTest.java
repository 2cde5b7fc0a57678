package org.tandem.manifests;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A liveness probe restarts a pod, so it must catch a hung process, never a busy one (docs/operations.md, "Probes
 * under load"): on a node whose cores are all taken, even an answer from the event loop can wait over the kubelet's
 * default second. Every long-running container of the kustomization has a liveness and a readiness probe, and its
 * liveness allows at least 5 s per answer and a minute of failures before the restart.
 */
class ProbesManifestTest {

    static final int KUBELET_DEFAULT_PERIOD = 10;
    static final int KUBELET_DEFAULT_FAILURE_THRESHOLD = 3;
    static final int KUBELET_DEFAULT_TIMEOUT = 1;

    @Test
    void everyLivenessProbeWaitsOutABusyNodeAndEveryServiceHasBothProbes() {
        List<Manifests.Document> deployments = Manifests.resources().stream()
                .filter(d -> d.tree().path("kind").asText().equals("Deployment"))
                .toList();
        assertThat(deployments)
                .extracting(d -> d.tree().path("metadata").path("name").asText())
                .contains("registry-service", "referral-service", "notification-service", "web", "apicurio-registry");
        int checked = 0;
        for (Manifests.Document d : deployments) {
            for (JsonNode c :
                    d.tree().path("spec").path("template").path("spec").path("containers")) {
                String where = d.name() + " container " + c.path("name").asText();
                assertThat(c.has("readinessProbe"))
                        .as(where + ": readinessProbe")
                        .isTrue();
                JsonNode live = c.path("livenessProbe");
                assertThat(live.isObject()).as(where + ": livenessProbe").isTrue();
                int timeout = live.path("timeoutSeconds").asInt(KUBELET_DEFAULT_TIMEOUT);
                int period = live.path("periodSeconds").asInt(KUBELET_DEFAULT_PERIOD);
                int failures = live.path("failureThreshold").asInt(KUBELET_DEFAULT_FAILURE_THRESHOLD);
                assertThat(timeout).as(where + ": liveness timeoutSeconds").isGreaterThanOrEqualTo(5);
                assertThat(period * failures)
                        .as(where + ": seconds of failed liveness probes before a restart")
                        .isGreaterThanOrEqualTo(60);
                checked++;
            }
        }
        assertThat(checked).as("containers checked").isGreaterThanOrEqualTo(5);
    }
}
