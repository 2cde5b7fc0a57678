package org.tandem.registry.domain;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.regex.Pattern;

import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;

/**
 * What an organisation may publish as a key: a public EC P-256 JWK, for encryption (ECDH-ES) or signatures
 * (ES256), with a kid. A private key, another curve or type, an unknown use or a point off the curve is
 * refused, naming the field. Parsing is Nimbus JOSE+JWT's.
 */
public final class PublicKeyPolicy {

    private static final Pattern KID = Pattern.compile("[A-Za-z0-9._~-]{1,128}");

    private PublicKeyPolicy() {}

    public enum Use {
        ENCRYPTION,
        SIGNATURE
    }

    /** A validated public key, with the JSON to publish (validity dates included as nbf/exp). */
    public record PublicKey(String kid, Use use, Instant notBefore, Instant expiresAt, ECKey jwk) {
        public String publicJson() {
            return jwk.toPublicJWK().toJSONString();
        }
    }

    /**
     * Parses one submitted JWK. {@code field} is where it sits in the request, for example
     * {@code keys[0]}. A missing kid gets the key's RFC 7638 thumbprint.
     */
    public static PublicKey parse(Map<String, Object> json, String field, Instant notBefore, Instant expiresAt) {
        if (json == null) {
            throw new InvalidProfileException(field, "is required");
        }
        for (String secret : new String[] {"d", "p", "q", "dp", "dq", "qi", "k", "oth"}) {
            if (json.containsKey(secret)) {
                throw new InvalidProfileException(
                        field + "." + secret,
                        "is a private key member; publish only the public key and keep the private one with your organisation");
            }
        }
        JWK jwk;
        try {
            jwk = JWK.parse(json);
        } catch (ParseException | RuntimeException e) {
            throw new InvalidProfileException(
                    field, "is not a valid JWK (RFC 7517): an EC public key needs kty, crv, x and y");
        }
        if (jwk.isPrivate()) {
            throw new InvalidProfileException(field, "is a private key; publish only the public key");
        }
        if (!(jwk instanceof ECKey ec)) {
            throw new InvalidProfileException(field + ".kty", "must be EC");
        }
        if (!Curve.P_256.equals(ec.getCurve())) {
            throw new InvalidProfileException(field + ".crv", "must be P-256");
        }
        if (ec.getKeyUse() == null) {
            throw new InvalidProfileException(
                    field + ".use", "is required: enc for the encryption key, sig for the signature key");
        }
        Use use;
        if (KeyUse.ENCRYPTION.equals(ec.getKeyUse())) {
            use = Use.ENCRYPTION;
            if (ec.getAlgorithm() != null
                    && !JWEAlgorithm.ECDH_ES_A256KW.equals(ec.getAlgorithm())
                    && !JWEAlgorithm.ECDH_ES.equals(ec.getAlgorithm())) {
                throw new InvalidProfileException(
                        field + ".alg", "must be ECDH-ES+A256KW (or ECDH-ES) for an encryption key");
            }
        } else if (KeyUse.SIGNATURE.equals(ec.getKeyUse())) {
            use = Use.SIGNATURE;
            if (ec.getAlgorithm() != null && !JWSAlgorithm.ES256.equals(ec.getAlgorithm())) {
                throw new InvalidProfileException(field + ".alg", "must be ES256 for a signature key");
            }
        } else {
            throw new InvalidProfileException(field + ".use", "must be enc or sig");
        }
        String kid = ec.getKeyID();
        if (kid == null) {
            try {
                kid = ec.computeThumbprint().toString();
            } catch (com.nimbusds.jose.JOSEException e) {
                throw new InvalidProfileException(field, "is not a valid EC public key");
            }
        }
        if (!KID.matcher(kid).matches()) {
            throw new InvalidProfileException(
                    field + ".kid", "must be 1 to 128 characters of A-Z, a-z, 0-9, '.', '_', '~' or '-'");
        }
        if (expiresAt != null && !expiresAt.isAfter(notBefore)) {
            throw new InvalidProfileException("expiresAt", "must be after notBefore");
        }
        ECKey published = new ECKey.Builder(ec)
                .keyID(kid)
                .algorithm(
                        use == Use.ENCRYPTION
                                ? (ec.getAlgorithm() == null ? JWEAlgorithm.ECDH_ES_A256KW : ec.getAlgorithm())
                                : JWSAlgorithm.ES256)
                .notBeforeTime(Date.from(notBefore))
                .expirationTime(expiresAt == null ? null : Date.from(expiresAt))
                .build();
        return new PublicKey(kid, use, notBefore, expiresAt, published);
    }

    /**
     * The RFC 7638 JWK thumbprint (SHA-256, base64url) of a stored public key: it names the key material
     * without carrying it, in the audit log and in events (docs/security.md, "Key substitution").
     */
    public static String thumbprint(String publicJwkJson) {
        try {
            return JWK.parse(publicJwkJson).computeThumbprint().toString();
        } catch (ParseException | com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException("a stored key does not parse", e);
        }
    }

    /**
     * Rotation with overlap: when a new key of a use becomes valid at {@code newNotBefore}, an older key of
     * the same use stays valid for {@code overlap} more, so that files encrypted or signed with it just
     * before still open. Returns the older key's new expiry, or its own if that is sooner.
     */
    public static Instant expiryAfterRotation(Instant currentExpiry, Instant newNotBefore, Duration overlap) {
        Instant retire = newNotBefore.plus(overlap);
        return currentExpiry != null && currentExpiry.isBefore(retire) ? currentExpiry : retire;
    }
}
