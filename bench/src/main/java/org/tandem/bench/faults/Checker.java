package org.tandem.bench.faults;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.tandem.bench.faults.History.Delivered;
import org.tandem.bench.faults.History.Operation;
import org.tandem.bench.faults.History.Outcome;
import org.tandem.bench.faults.History.Published;

/**
 * Proves four properties over a {@link History}, each with a named violation that says which referral broke
 * it:
 * <ol>
 *   <li><b>published</b>: every state change a client was told succeeded is on the topic, and nothing is on
 *       the topic that a client was told failed;</li>
 *   <li><b>delivered</b>: the subscribed endpoint received every published event of the run;</li>
 *   <li><b>once</b>: no transition produced two events (two event ids), and no event reached the endpoint under
 *       two webhook ids; a redelivery of the same event id or webhook id is the at-least-once contract, not a
 *       second effect;</li>
 *   <li><b>ordered</b>: per referral, events on the topic and first arrivals at the endpoint follow the
 *       lifecycle.</li>
 * </ol>
 */
public final class Checker {

    /** One broken property. */
    public record Violation(String property, String referralId, String detail) {
        @Override
        public String toString() {
            return property + " @ " + referralId + ": " + detail;
        }
    }

    private Checker() {}

    public static List<Violation> check(History h) {
        List<Violation> out = new ArrayList<>();
        Set<String> referrals =
                h.operations().stream().map(Operation::referralId).collect(Collectors.toSet());
        List<Published> ours = h.published().stream()
                .filter(p -> referrals.contains(p.referralId()))
                .toList();

        // 1. published
        Set<String> onTopic = new HashSet<>();
        ours.forEach(p -> onTopic.add(p.referralId() + "|" + p.type()));
        for (Operation op : h.operations()) {
            String type = History.EVENT_OF_STEP.get(op.step());
            if (type == null) {
                continue;
            }
            String key = op.referralId() + "|" + type;
            if (op.outcome() == Outcome.OK && !onTopic.contains(key)) {
                out.add(new Violation(
                        "published", op.referralId(), op.step() + " was committed but " + type + " never published"));
            }
            if (op.outcome() == Outcome.FAILED
                    && onTopic.contains(key)
                    && h.operations().stream()
                            .noneMatch(o -> o != op
                                    && o.referralId().equals(op.referralId())
                                    && o.step().equals(op.step())
                                    && o.outcome() != Outcome.FAILED)) {
                out.add(new Violation(
                        "published", op.referralId(), op.step() + " was refused but " + type + " is on the topic"));
            }
        }

        // 2. delivered
        Set<String> deliveredEvents =
                h.delivered().stream().map(Delivered::eventId).collect(Collectors.toSet());
        Map<String, Published> firstByEvent = new LinkedHashMap<>();
        ours.forEach(p -> firstByEvent.putIfAbsent(p.eventId(), p));
        for (Published p : firstByEvent.values()) {
            if (!deliveredEvents.contains(p.eventId())) {
                out.add(new Violation(
                        "delivered", p.referralId(), p.type() + " " + p.eventId() + " never reached the endpoint"));
            }
        }

        // 3. once
        Map<String, Set<String>> eventIdsPerTransition = new HashMap<>();
        ours.forEach(p -> eventIdsPerTransition
                .computeIfAbsent(p.referralId() + "|" + p.type(), k -> new HashSet<>())
                .add(p.eventId()));
        eventIdsPerTransition.forEach((key, ids) -> {
            if (ids.size() > 1) {
                out.add(new Violation(
                        "once",
                        key.substring(0, key.indexOf('|')),
                        key.substring(key.indexOf('|') + 1) + " happened " + ids.size() + " times: " + ids));
            }
        });
        Map<String, Set<String>> webhookIdsPerEvent = new HashMap<>();
        Map<String, String> referralOfEvent = new HashMap<>();
        for (Delivered d : h.delivered()) {
            webhookIdsPerEvent
                    .computeIfAbsent(d.eventId(), k -> new HashSet<>())
                    .add(d.webhookId());
            referralOfEvent.put(d.eventId(), d.referralId());
        }
        webhookIdsPerEvent.forEach((event, ids) -> {
            if (ids.size() > 1) {
                out.add(new Violation(
                        "once",
                        referralOfEvent.get(event),
                        "event " + event + " was delivered under " + ids.size() + " webhook ids " + ids));
            }
        });

        // 4. ordered
        Map<String, List<Published>> topicByReferral = ours.stream()
                .collect(Collectors.groupingBy(Published::referralId, LinkedHashMap::new, Collectors.toList()));
        topicByReferral.forEach((ref, events) -> {
            List<String> seen = firstOccurrences(events.stream()
                    .sorted(Comparator.comparingLong(Published::position))
                    .map(Published::type)
                    .toList());
            if (!inLifecycleOrder(seen)) {
                out.add(new Violation("ordered", ref, "topic order " + seen));
            }
        });
        Map<String, List<Delivered>> arrivalsByReferral = h.delivered().stream()
                .filter(d -> referrals.contains(d.referralId()))
                .collect(Collectors.groupingBy(Delivered::referralId, LinkedHashMap::new, Collectors.toList()));
        Map<String, String> webhookToEvent = new HashMap<>();
        History.WEBHOOK_OF_EVENT.forEach((event, hook) -> webhookToEvent.put(hook, event));
        arrivalsByReferral.forEach((ref, arrivals) -> {
            List<String> seen = firstOccurrences(arrivals.stream()
                    .sorted(Comparator.comparingLong(Delivered::position))
                    .map(d -> webhookToEvent.getOrDefault(d.type(), d.type()))
                    .toList());
            if (!inLifecycleOrder(seen)) {
                out.add(new Violation("ordered", ref, "arrival order " + seen));
            }
        });
        return out;
    }

    private static List<String> firstOccurrences(List<String> types) {
        List<String> out = new ArrayList<>();
        for (String t : types) {
            if (!out.contains(t)) {
                out.add(t);
            }
        }
        return out;
    }

    private static boolean inLifecycleOrder(List<String> types) {
        int last = -1;
        for (String t : types) {
            int i = History.LIFECYCLE.indexOf(t);
            if (i < 0) {
                continue; // an event outside the measured lifecycle
            }
            if (i < last) {
                return false;
            }
            last = i;
        }
        return true;
    }
}
