package org.tandem.bench.faults;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.tandem.bench.faults.History.Delivered;
import org.tandem.bench.faults.History.Operation;
import org.tandem.bench.faults.History.Outcome;
import org.tandem.bench.faults.History.Published;

import static org.assertj.core.api.Assertions.assertThat;

/** The checker must catch each kind of loss, duplicate and reordering, and accept redeliveries. */
class CheckerTest {

    static final String R = "ref-1";

    static List<Operation> ops(Outcome ack) {
        return List.of(
                new Operation(R, "create", Outcome.OK, 1),
                new Operation(R, "submission", Outcome.OK, 1),
                new Operation(R, "acknowledgement", ack, 1));
    }

    static List<Published> topic() {
        return List.of(
                new Published("e1", R, "ReferralSubmitted", 10), new Published("e2", R, "ReferralAcknowledged", 11));
    }

    static List<Delivered> endpoint() {
        return List.of(
                new Delivered("w1", "e1", R, "referral.submitted", 1),
                new Delivered("w2", "e2", R, "referral.acknowledged", 2));
    }

    static List<String> properties(History h) {
        return Checker.check(h).stream().map(Checker.Violation::property).toList();
    }

    @Test
    void a_complete_history_passes() {
        assertThat(Checker.check(new History(ops(Outcome.OK), topic(), endpoint())))
                .isEmpty();
    }

    @Test
    void redeliveries_of_the_same_event_and_webhook_are_not_a_second_effect() {
        List<Published> topic = new ArrayList<>(topic());
        topic.add(new Published("e2", R, "ReferralAcknowledged", 12)); // the relay republished after a crash
        List<Delivered> endpoint = new ArrayList<>(endpoint());
        endpoint.add(new Delivered("w2", "e2", R, "referral.acknowledged", 3)); // a retry after a lost 2xx
        assertThat(Checker.check(new History(ops(Outcome.OK), topic, endpoint))).isEmpty();
    }

    @Test
    void a_committed_change_missing_from_the_topic_is_caught() {
        List<Published> topic = List.of(topic().get(0));
        List<Delivered> endpoint = List.of(endpoint().get(0));
        assertThat(properties(new History(ops(Outcome.OK), topic, endpoint))).containsExactly("published");
    }

    @Test
    void an_event_for_a_refused_change_is_caught() {
        assertThat(properties(new History(ops(Outcome.FAILED), topic(), endpoint())))
                .containsExactly("published");
    }

    @Test
    void an_unknown_outcome_may_or_may_not_have_happened() {
        assertThat(Checker.check(new History(ops(Outcome.UNKNOWN), topic(), endpoint())))
                .isEmpty();
        assertThat(Checker.check(new History(
                        ops(Outcome.UNKNOWN),
                        List.of(topic().get(0)),
                        List.of(endpoint().get(0)))))
                .isEmpty();
    }

    @Test
    void an_event_that_never_reached_the_endpoint_is_caught() {
        assertThat(properties(
                        new History(ops(Outcome.OK), topic(), List.of(endpoint().get(0)))))
                .containsExactly("delivered");
    }

    @Test
    void a_transition_published_twice_under_two_event_ids_is_caught() {
        List<Published> topic = new ArrayList<>(topic());
        topic.add(new Published("e3", R, "ReferralAcknowledged", 12));
        List<Delivered> endpoint = new ArrayList<>(endpoint());
        endpoint.add(new Delivered("w3", "e3", R, "referral.acknowledged", 3));
        assertThat(properties(new History(ops(Outcome.OK), topic, endpoint))).containsExactly("once");
    }

    @Test
    void one_event_delivered_under_two_webhook_ids_is_caught() {
        List<Delivered> endpoint = new ArrayList<>(endpoint());
        endpoint.add(new Delivered("w9", "e2", R, "referral.acknowledged", 3));
        assertThat(properties(new History(ops(Outcome.OK), topic(), endpoint))).containsExactly("once");
    }

    @Test
    void events_out_of_lifecycle_order_on_the_topic_are_caught() {
        List<Published> topic = List.of(
                new Published("e2", R, "ReferralAcknowledged", 10), new Published("e1", R, "ReferralSubmitted", 11));
        assertThat(properties(new History(ops(Outcome.OK), topic, endpoint()))).containsExactly("ordered");
    }

    @Test
    void webhooks_arriving_out_of_order_are_caught() {
        List<Delivered> endpoint = List.of(
                new Delivered("w2", "e2", R, "referral.acknowledged", 1),
                new Delivered("w1", "e1", R, "referral.submitted", 2));
        assertThat(properties(new History(ops(Outcome.OK), topic(), endpoint))).containsExactly("ordered");
    }

    @Test
    void events_of_referrals_outside_the_run_are_ignored() {
        List<Published> topic = new ArrayList<>(topic());
        topic.add(new Published("x1", "someone-else", "ReferralAccepted", 1));
        assertThat(Checker.check(new History(ops(Outcome.OK), topic, endpoint())))
                .isEmpty();
    }
}
