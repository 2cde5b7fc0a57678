package org.tandem.bench.faults;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.tandem.bench.FaultReport;
import org.tandem.bench.Network;
import org.tandem.bench.Receiver;
import org.tandem.bench.TandemApi;
import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.RunningServices;
import org.tandem.testing.TestInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The short fault run: about a minute of referral load while notification-service and referral-service are
 * killed with SIGKILL, referral-service is paused with SIGSTOP, the partner's endpoint goes down and PostgreSQL
 * restarts; then the checker must find nothing lost, nothing doubled and every order kept. The long run
 * ({@code ./tandem faults --long}) adds broker restarts.
 */
class FaultInjectionIT {

    static final Map<String, String> ENV =
            Map.of("TANDEM_RATE_LIMIT_PER_SECOND", "5000", "TANDEM_RATE_LIMIT_BURST", "20000");

    @Test
    void nothing_is_lost_doubled_or_reordered_when_services_crash_pause_and_the_endpoint_goes_down() throws Exception {
        try (RunningServices services = RunningServices.start(ENV);
                Receiver receiver = new Receiver()) {
            TandemApi api = new TandemApi(services.registryUrl(), services.referralUrl(), services.notificationUrl());
            Network network = Network.create(api, KeycloakRealm.get(), receiver);
            FaultRun.Controls controls = new FaultRun.Controls(
                    services.config(),
                    TestInfrastructure.stackConfig(),
                    TestInfrastructure.endpoints(),
                    RunningServices.repoRoot(),
                    ENV,
                    receiver);
            FaultRun.Scenario scenario = FaultRun.shortScenario();

            FaultRun.RunResult result = new FaultRun(api, network, receiver, controls).run(scenario);
            System.out.println(FaultReport.text(scenario, result));

            assertThat(result.faultLog())
                    .hasSize(scenario.faults().size())
                    .noneMatch(l -> l.contains("FAILED TO INJECT"));
            // the run must have done real work for the verdict to mean anything
            assertThat(result.history().operations().stream()
                            .filter(o -> o.step().equals("acceptance") && o.outcome() == History.Outcome.OK)
                            .count())
                    .isGreaterThan(scenario.load().toSeconds() * scenario.referralsPerSecond() / 2);
            assertThat(receiver.unsignedCount())
                    .as("deliveries with a bad signature")
                    .isZero();
            assertThat(result.violations()).isEmpty();
        }
    }
}
