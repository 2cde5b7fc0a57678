package org.tandem.platform.audit;

import java.text.ParseException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;

/**
 * The key that signs a service's audit anchors: an EC P-256 private JWK (ES256) from configuration
 * ({@code tandem.audit.anchor-key}), never from the database, so that whoever rewrites the database cannot sign
 * a head of her own (docs/privacy.md, "Audit trust model"). Pure: no CDI, so that it is unit-tested alone.
 */
public final class AnchorKey {

    /** What an anchor says: this service's chain had this head at this time. */
    public record Anchor(String service, long seq, String hash, Instant signedAt, String kid, String jws) {

        public AuditLog.Head head() {
            return new AuditLog.Head(seq, hash);
        }
    }

    private final ECKey key;

    private AnchorKey(ECKey key) {
        this.key = key;
    }

    /** Parses the configured key; a clear message (no key material) when it is not an EC P-256 private JWK with a kid. */
    public static AnchorKey parse(String jwk) {
        ECKey k;
        try {
            k = ECKey.parse(jwk.strip());
        } catch (ParseException | RuntimeException e) {
            throw new IllegalArgumentException("tandem.audit.anchor-key (TANDEM_AUDIT_ANCHOR_KEY) is not an EC JWK");
        }
        if (!Curve.P_256.equals(k.getCurve())
                || !k.isPrivate()
                || k.getKeyID() == null
                || k.getKeyID().isBlank()) {
            throw new IllegalArgumentException(
                    "tandem.audit.anchor-key (TANDEM_AUDIT_ANCHOR_KEY) must be a P-256 private JWK with a kid (ES256)");
        }
        return new AnchorKey(k);
    }

    public String kid() {
        return key.getKeyID();
    }

    /** The public half, for whoever checks anchors outside the service. */
    public String publicJwk() {
        return key.toPublicJWK().toJSONString();
    }

    /** Signs {@code head} of {@code service}'s chain at {@code at}: a compact JWS over service, seq, hash and time. */
    public Anchor sign(String service, AuditLog.Head head, Instant at) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("service", service);
        claims.put("seq", head.seq());
        claims.put("hash", head.hash());
        claims.put("signedAt", at.toString());
        JWSObject jws = new JWSObject(
                new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), new Payload(claims));
        try {
            jws.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign the audit anchor", e);
        }
        return new Anchor(service, head.seq(), head.hash(), at, key.getKeyID(), jws.serialize());
    }

    /**
     * The anchor a compact JWS carries, if this key signed it for {@code service}; empty for anything else (another
     * key, another service, an altered payload, garbage).
     */
    public Optional<Anchor> verify(String compact, String service) {
        try {
            JWSObject jws = JWSObject.parse(compact);
            if (!JWSAlgorithm.ES256.equals(jws.getHeader().getAlgorithm())
                    || !key.getKeyID().equals(jws.getHeader().getKeyID())
                    || !jws.verify(new ECDSAVerifier(key.toECPublicKey()))) {
                return Optional.empty();
            }
            Map<String, Object> c = jws.getPayload().toJSONObject();
            if (c == null
                    || !service.equals(c.get("service"))
                    || !(c.get("seq") instanceof Number seq)
                    || !(c.get("hash") instanceof String hash)
                    || !(c.get("signedAt") instanceof String at)) {
                return Optional.empty();
            }
            return Optional.of(new Anchor(service, seq.longValue(), hash, Instant.parse(at), key.getKeyID(), compact));
        } catch (ParseException | JOSEException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
