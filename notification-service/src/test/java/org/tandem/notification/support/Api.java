package org.tandem.notification.support;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import org.tandem.testing.WebhookReceiver;

import static io.restassured.RestAssured.given;

/** notification-service's REST API as an org-admin or coordinator uses it. */
public final class Api {

    private Api() {}

    /** Registers an endpoint for {@code receiver} and returns the whole answer (id, secret, ...). */
    public static JsonPath subscribe(String token, WebhookReceiver receiver, String extraJson, String... types) {
        return subscribe(token, receiver.url("/hooks/tandem"), extraJson, types);
    }

    /** Registers an endpoint at {@code url} and returns the whole answer (id, secret, ...). */
    public static JsonPath subscribe(String token, String url, String extraJson, String... types) {
        String typesJson =
                String.join(",", Arrays.stream(types).map(t -> "\"" + t + "\"").toList());
        return given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"url\":\"" + url + "\",\"eventTypes\":[" + typesJson + "]"
                        + (extraJson == null ? "" : "," + extraJson) + "}")
                .when()
                .post("/api/v1/webhooks/endpoints")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
    }

    /** The endpoint as its organisation's admin reads it. */
    public static JsonPath endpoint(String token, String endpointId) {
        return given().auth()
                .oauth2(token)
                .when()
                .get("/api/v1/webhooks/endpoints/{id}", endpointId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    public static JsonPath deliveries(String token, String endpointId, String query) {
        return given().auth()
                .oauth2(token)
                .when()
                .get("/api/v1/webhooks/endpoints/" + endpointId + "/deliveries" + query)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    public static JsonPath delivery(String token, String endpointId, String deliveryId) {
        return given().auth()
                .oauth2(token)
                .when()
                .get("/api/v1/webhooks/endpoints/{e}/deliveries/{d}", endpointId, deliveryId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    /** Polls the delivery until it matches (the dispatcher runs in the background). */
    public static JsonPath awaitDelivery(
            String token, String endpointId, String deliveryId, Predicate<JsonPath> match, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            JsonPath d = delivery(token, endpointId, deliveryId);
            if (match.test(d)) {
                return d;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(
                        "delivery " + deliveryId + " did not reach the expected state: " + d.prettify());
            }
            pause(100);
        }
    }

    /** The one delivery of the endpoint that carries {@code text} in its event id or type, waiting for it. */
    public static String awaitDeliveryId(String token, String endpointId, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            List<String> ids = deliveries(token, endpointId, "").getList("items.id");
            if (!ids.isEmpty()) {
                return ids.get(0);
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("no delivery for endpoint " + endpointId);
            }
            pause(100);
        }
    }

    public static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
