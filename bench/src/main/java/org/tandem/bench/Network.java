package org.tandem.bench;

import java.time.Duration;
import java.util.UUID;

import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.TestOrganisation;

/**
 * The two organisations a run needs: a sender in Cyprus whose endpoint (the {@link Receiver}) is subscribed
 * to every event, and a receiver in Germany whose caseworker makes the transitions. Tokens are fetched once
 * per run (they last 15 minutes) and again by {@link #refresh()}.
 */
public final class Network {

    private final TandemApi api;
    private final TestOrganisation sender;
    private final TestOrganisation receiver;
    private final KeycloakRealm realm;
    private volatile String senderCaseworker;
    private volatile String receiverCaseworker;

    private Network(TandemApi api, KeycloakRealm realm, TestOrganisation sender, TestOrganisation receiver) {
        this.api = api;
        this.realm = realm;
        this.sender = sender;
        this.receiver = receiver;
        refresh();
    }

    /** Registers and approves both organisations and subscribes {@code endpoint} for the sender. */
    public static Network create(TandemApi api, KeycloakRealm realm, Receiver endpoint) {
        TestOrganisation sender = realm.createOrganisation("CY");
        TestOrganisation receiver = realm.createOrganisation("DE");
        String coordinator = realm.coordinatorToken();
        api.join(sender.adminToken(), coordinator, sender.id(), "Bench sender " + sender.slug(), "CY");
        api.join(receiver.adminToken(), coordinator, receiver.id(), "Bench receiver " + receiver.slug(), "DE");
        TandemApi.Answer sub = api.subscribe(sender.adminToken(), endpoint.url());
        if (!sub.ok()) {
            throw new IllegalStateException("could not subscribe the receiver: " + sub);
        }
        endpoint.secret(sub.json().get("secret").asText());
        Network n = new Network(api, realm, sender, receiver);
        n.awaitReferable(Duration.ofSeconds(90));
        return n;
    }

    /** referral-service learns of approvals through Kafka; wait until a referral can be created. */
    private void awaitReferable(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            TandemApi.Answer a = api.createReferral(
                    senderCaseworker, receiverId(), UUID.randomUUID().toString());
            if (a.ok()) {
                return;
            }
            sleep(500);
        }
        throw new IllegalStateException("referral-service did not learn of the approved organisations in " + timeout);
    }

    public void refresh() {
        senderCaseworker = sender.caseworkerToken();
        receiverCaseworker = receiver.caseworkerToken();
    }

    public String senderCaseworker() {
        return senderCaseworker;
    }

    public String receiverCaseworker() {
        return receiverCaseworker;
    }

    public String receiverId() {
        return receiver.id().toString();
    }

    public String senderId() {
        return sender.id().toString();
    }

    public KeycloakRealm realm() {
        return realm;
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
