package org.tandem.manifests;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The services' autoscalers add one pod at a time: a starting JVM takes its node's spare cores for about 20 s and
 * serves its first window cold (docs/performance.md, "Scale-out at 50/s"), so several at once would slow the pods
 * that serve. Scaling in stays slow (five minutes of stable load), so that a burst does not start pods twice.
 */
class AutoscalingManifestTest {

    static final List<String> SERVICES = List.of("registry-service", "referral-service", "notification-service");

    @Test
    void eachServiceScalesOutByOnePodAMinuteAndInAfterFiveStableMinutes() {
        List<String> seen = new ArrayList<>();
        for (Manifests.Document d : Manifests.resources()) {
            JsonNode hpa = d.tree();
            String target = hpa.at("/spec/scaleTargetRef/name").asText();
            if (!hpa.path("kind").asText().equals("HorizontalPodAutoscaler") || !SERVICES.contains(target)) {
                continue;
            }
            seen.add(target);
            JsonNode up = hpa.at("/spec/behavior/scaleUp/policies");
            assertThat(up.size()).as(d.name() + ": one scale-up policy").isEqualTo(1);
            assertThat(up.get(0).path("type").asText()).as(d.name()).isEqualTo("Pods");
            assertThat(up.get(0).path("value").asInt())
                    .as(d.name() + ": pods per period")
                    .isEqualTo(1);
            assertThat(up.get(0).path("periodSeconds").asInt())
                    .as(d.name() + ": period")
                    .isGreaterThanOrEqualTo(60);
            assertThat(hpa.at("/spec/behavior/scaleDown/stabilizationWindowSeconds")
                            .asInt())
                    .as(d.name())
                    .isGreaterThanOrEqualTo(300);
            assertThat(hpa.at("/spec/minReplicas").asInt())
                    .as(d.name() + ": two of everything")
                    .isGreaterThanOrEqualTo(2);
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(SERVICES);
    }
}
