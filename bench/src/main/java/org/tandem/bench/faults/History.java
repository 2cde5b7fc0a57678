package org.tandem.bench.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything a fault run observed, from three independent vantage points: what the clients were told
 * (operations), what Kafka holds (published events, in partition order), and what the partner's endpoint
 * received (deliveries, in arrival order). The {@link Checker} judges it.
 */
public record History(List<Operation> operations, List<Published> published, List<Delivered> delivered) {

    /** How a client's operation ended. UNKNOWN: no answer even after retries (it may or may not have happened). */
    public enum Outcome {
        OK,
        FAILED,
        UNKNOWN
    }

    /**
     * A state change a client asked for. {@code step} is the transition's path segment; {@code sentNanos} is
     * when its first attempt went and {@code answeredNanos} when its last was answered ({@link
     * System#nanoTime()}, 0 when not recorded).
     */
    public record Operation(
            String referralId, String step, Outcome outcome, int attempts, long sentNanos, long answeredNanos) {

        public Operation(String referralId, String step, Outcome outcome, int attempts) {
            this(referralId, step, outcome, attempts, 0, 0);
        }
    }

    /** An event record on the referrals topic; {@code position} orders records of one referral (one partition). */
    public record Published(String eventId, String referralId, String type, long position) {}

    /** A webhook as the endpoint received it; {@code position} is its arrival order. */
    public record Delivered(String webhookId, String eventId, String referralId, String type, long position) {}

    /** Which event and which webhook type each transition step must produce. */
    public static final Map<String, String> EVENT_OF_STEP = Map.of(
            "submission", "ReferralSubmitted",
            "acknowledgement", "ReferralAcknowledged",
            "acceptance", "ReferralAccepted");

    public static final Map<String, String> WEBHOOK_OF_EVENT = Map.of(
            "ReferralSubmitted", "referral.submitted",
            "ReferralAcknowledged", "referral.acknowledged",
            "ReferralAccepted", "referral.accepted");

    /** The order the lifecycle imposes on one referral's events. */
    public static final List<String> LIFECYCLE =
            List.of("ReferralSubmitted", "ReferralAcknowledged", "ReferralAccepted");

    public History {
        operations = List.copyOf(operations);
        published = List.copyOf(published);
        delivered = List.copyOf(delivered);
    }

    /** A growing history, safe to add to from many threads. */
    public static final class Recorder {
        private final List<Operation> operations = new ArrayList<>();

        public synchronized void record(Operation op) {
            operations.add(op);
        }

        public synchronized List<Operation> operations() {
            return List.copyOf(operations);
        }
    }
}
