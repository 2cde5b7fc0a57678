package org.tandem.referral.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import org.tandem.client.CaseFileFormatException;
import org.tandem.client.OrganisationKeys;
import org.tandem.platform.problem.Problem;
import org.tandem.platform.problem.ProblemException;

/**
 * The public key material of an organisation, from registry-service's JWK Set
 * ({@code GET /api/v1/organisations/{id}/keys}). Events carry key ids only, so this is the one synchronous
 * call to the registry: it is needed where the hub verifies a signature (a deletion receipt). The caller's
 * own token is passed on, since any member may read public keys.
 */
@ApplicationScoped
public class RegistryKeys {

    static final int MAX_RESPONSE_BYTES = 65_536;

    @ConfigProperty(name = "tandem.registry.url")
    String registryUrl;

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    /** The organisation's published signature key with this kid, if it has one. */
    public Optional<ECKey> signatureKey(UUID organisation, String kid, String bearerToken) {
        URI uri = URI.create(registryUrl.replaceAll("/+$", "") + "/api/v1/organisations/" + organisation + "/keys");
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(10))
                .header("Accept", "application/jwk-set+json, application/json")
                .GET();
        if (bearerToken != null) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        try {
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() == 404) {
                    return Optional.empty();
                }
                if (response.statusCode() != 200) {
                    throw unavailable();
                }
                byte[] bytes = body.readNBytes(MAX_RESPONSE_BYTES + 1);
                if (bytes.length > MAX_RESPONSE_BYTES) {
                    throw unavailable();
                }
                var set = OrganisationKeys.parseSet(new String(bytes, StandardCharsets.UTF_8), "keys");
                return OrganisationKeys.find(set, kid, KeyUse.SIGNATURE).map(ECKey::toPublicJWK);
            }
        } catch (CaseFileFormatException e) {
            throw unavailable();
        } catch (IOException e) {
            throw unavailable();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable();
        }
    }

    private static ProblemException unavailable() {
        return new ProblemException(Problem.of(
                503,
                "registry-unavailable",
                "The registry cannot be reached",
                "The organisation's published keys cannot be read from the registry right now. Try again later."));
    }
}
