package org.tandem.bench.faults;

import java.util.List;

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
 * The short two-instance fault run: two instances of each service behind the stack's round-robin, referral
 * load, and one instance of each service killed with SIGKILL and restarted; the checker must find nothing
 * lost, nothing doubled and every order kept, and both instances of each service must have done work.
 */
class TwoInstanceFaultIT {

    @Test
    void with_two_instances_of_each_service_killing_one_of_each_loses_doubles_and_reorders_nothing() throws Exception {
        try (RunningServices services = RunningServices.start(FaultInjectionIT.ENV, 2);
                Receiver receiver = new Receiver()) {
            TandemApi api = new TandemApi(services.registryUrl(), services.referralUrl(), services.notificationUrl());
            Network network = Network.create(api, KeycloakRealm.get(), receiver);
            FaultRun.Controls controls = new FaultRun.Controls(
                    services.config(),
                    TestInfrastructure.stackConfig(),
                    TestInfrastructure.endpoints(),
                    RunningServices.repoRoot(),
                    FaultInjectionIT.ENV,
                    receiver);
            FaultRun.Scenario scenario = FaultRun.twoInstanceScenario();

            FaultRun.RunResult result = new FaultRun(api, network, receiver, controls).run(scenario);
            System.out.println(FaultReport.text(scenario, result));

            assertThat(result.faultLog())
                    .hasSize(scenario.faults().size())
                    .noneMatch(l -> l.contains("FAILED TO INJECT"));
            assertThat(result.history().operations().stream()
                            .filter(o -> o.step().equals("acceptance") && o.outcome() == History.Outcome.OK)
                            .count())
                    .isGreaterThan(scenario.load().toSeconds() * scenario.referralsPerSecond() / 2);
            assertThat(receiver.unsignedCount())
                    .as("deliveries with a bad signature")
                    .isZero();
            assertThat(result.violations()).isEmpty();
            // both instances took requests (referral-service, through the round-robin) and sent webhooks
            // (notification-service, each consuming its share of the topic's partitions)
            assertThat(result.instanceWork())
                    .extracting(InstanceWork.Work::instance)
                    .containsExactly(
                            "registry-service-1",
                            "registry-service-2",
                            "referral-service-1",
                            "referral-service-2",
                            "notification-service-1",
                            "notification-service-2");
            for (String busy : List.of("referral-service-1", "referral-service-2")) {
                assertThat(work(result, busy).httpRequests()).as(busy).isPositive();
            }
            for (String busy : List.of("notification-service-1", "notification-service-2")) {
                assertThat(work(result, busy).webhookAttempts()).as(busy).isPositive();
            }
        }
    }

    static InstanceWork.Work work(FaultRun.RunResult r, String instance) {
        return r.instanceWork().stream()
                .filter(w -> w.instance().equals(instance))
                .findFirst()
                .orElseThrow();
    }
}
