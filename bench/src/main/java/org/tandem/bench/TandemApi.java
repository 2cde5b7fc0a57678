package org.tandem.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.tandem.testing.Fixtures;

/**
 * The few calls of Tandem's public REST API that the benchmark and the fault harness make, over the JDK's
 * HTTP client. Every POST carries an Idempotency-Key, so that a retry after a lost answer is safe.
 */
public final class TandemApi {

    /** An answer: status and body. */
    public record Answer(int status, String body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + body, e);
            }
        }
    }

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final String registry;
    private final String referral;
    private final String notification;

    public TandemApi(String registryUrl, String referralUrl, String notificationUrl) {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        this.registry = registryUrl;
        this.referral = referralUrl;
        this.notification = notificationUrl;
    }

    public HttpClient http() {
        return http;
    }

    public String referralUrl() {
        return referral;
    }

    /** Each service's base URL, by its short name (registry, referral, notification). */
    public java.util.Map<String, String> serviceUrls() {
        return java.util.Map.of("registry", registry, "referral", referral, "notification", notification);
    }

    public Answer join(String adminToken, String coordinatorToken, UUID organisationId, String name, String country) {
        Answer created =
                post(registry + "/api/v1/organisations", adminToken, Fixtures.organisationProfile(name, country), null);
        if (!created.ok()) {
            throw new IllegalStateException("could not register " + name + ": " + created);
        }
        Answer approved =
                post(registry + "/api/v1/organisations/" + organisationId + "/approval", coordinatorToken, null, null);
        if (!approved.ok()) {
            throw new IllegalStateException("could not approve " + name + ": " + approved);
        }
        return approved;
    }

    /** Subscribes the organisation's endpoint to every event type; returns the answer (id and secret). */
    public Answer subscribe(String adminToken, String url) {
        return post(
                notification + "/api/v1/webhooks/endpoints",
                adminToken,
                "{\"url\":\"" + url + "\",\"eventTypes\":[\"*\"]}",
                null);
    }

    public Answer createReferral(String token, String receiverId, String idempotencyKey) {
        return post(referral + "/api/v1/referrals", token, Fixtures.referral(receiverId), idempotencyKey);
    }

    /** {@link #createReferral} without waiting, with a fresh Idempotency-Key. */
    public CompletableFuture<HttpResponse<String>> createReferralAsync(String token, String receiverId) {
        return http.sendAsync(
                request(
                        referral + "/api/v1/referrals",
                        token,
                        Fixtures.referral(receiverId),
                        UUID.randomUUID().toString()),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A transition: {@code step} is the last path segment (submission, acknowledgement, acceptance, ...). */
    public Answer transition(String token, String referralId, String step, String idempotencyKey) {
        return post(referral + "/api/v1/referrals/" + referralId + "/" + step, token, null, idempotencyKey);
    }

    public CompletableFuture<HttpResponse<String>> transitionAsync(String token, String referralId, String step) {
        return http.sendAsync(
                request(
                        referral + "/api/v1/referrals/" + referralId + "/" + step,
                        token,
                        null,
                        UUID.randomUUID().toString()),
                HttpResponse.BodyHandlers.ofString());
    }

    public Answer get(String url, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b.build());
    }

    public Answer post(String url, String token, String json, String idempotencyKey) {
        return send(request(
                url, token, json, idempotencyKey == null ? UUID.randomUUID().toString() : idempotencyKey));
    }

    private HttpRequest request(String url, String token, String json, String idempotencyKey) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .header("Idempotency-Key", idempotencyKey);
        if (json == null) {
            b.POST(HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        }
        return b.build();
    }

    private Answer send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body());
        } catch (IOException e) {
            return new Answer(-1, e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, "interrupted");
        }
    }
}
