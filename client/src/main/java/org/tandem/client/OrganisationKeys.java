package org.tandem.client;

import java.text.ParseException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;

/**
 * An organisation's two key pairs: an encryption key (ECDH-ES P-256) that senders encrypt case files to,
 * and a signature key (ES256) for the files it sends and the deletion receipts it gives. The public halves
 * are published in the registry as a JWK Set; the private halves never leave the organisation.
 *
 * <p>Key ids are the keys' RFC 7638 SHA-256 thumbprints, so a key id names exactly one key.
 */
public record OrganisationKeys(ECKey encryption, ECKey signature) {

    public OrganisationKeys {
        Objects.requireNonNull(encryption, "encryption");
        Objects.requireNonNull(signature, "signature");
    }

    /** Two fresh P-256 key pairs. */
    public static OrganisationKeys generate() {
        try {
            ECKey enc = new ECKeyGenerator(Curve.P_256)
                    .keyUse(KeyUse.ENCRYPTION)
                    .algorithm(Protocol.KEY_ALGORITHM)
                    .keyIDFromThumbprint(true)
                    .generate();
            ECKey sig = new ECKeyGenerator(Curve.P_256)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(Protocol.SIGNATURE_ALGORITHM)
                    .keyIDFromThumbprint(true)
                    .generate();
            return new OrganisationKeys(enc, sig);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate P-256 keys on this JVM", e);
        }
    }

    /** Reads an organisation's private JWK Set as {@link #toPrivateJwkSet()} wrote it. */
    public static OrganisationKeys fromPrivateJwkSet(String json) {
        JWKSet set = parseSet(json, "keys");
        ECKey enc = privateKey(set, KeyUse.ENCRYPTION);
        ECKey sig = privateKey(set, KeyUse.SIGNATURE);
        return new OrganisationKeys(enc, sig);
    }

    /** The JWK Set with the private keys: keep it secret. */
    public String toPrivateJwkSet() {
        return new JWKSet(List.<JWK>of(encryption, signature)).toString(false);
    }

    /** The JWK Set of the public keys, to publish in the registry. */
    public String toPublicJwkSet() {
        return new JWKSet(List.<JWK>of(encryption.toPublicJWK(), signature.toPublicJWK())).toString(true);
    }

    /**
     * The key with this id and use from a JWK Set, if it is a P-256 EC key. Used to find a receiver's
     * encryption key or a sender's signature key in what the registry published.
     */
    public static Optional<ECKey> find(JWKSet set, String kid, KeyUse use) {
        JWK jwk = set.getKeyByKeyId(kid);
        if (!(jwk instanceof ECKey ec) || !Curve.P_256.equals(ec.getCurve())) {
            return Optional.empty();
        }
        if (ec.getKeyUse() != null && !use.equals(ec.getKeyUse())) {
            return Optional.empty();
        }
        return Optional.of(ec);
    }

    /**
     * The current key of this use in a published JWK Set: of the P-256 keys valid now, the one with the
     * latest {@code nbf} (the registry lists the newest first, and both keys during a rotation's overlap).
     */
    public static Optional<ECKey> current(JWKSet set, KeyUse use) {
        java.util.Date now = new java.util.Date();
        ECKey found = null;
        for (JWK jwk : set.getKeys()) {
            if (!(jwk instanceof ECKey ec) || !Curve.P_256.equals(ec.getCurve()) || !use.equals(ec.getKeyUse())) {
                continue;
            }
            if ((ec.getNotBeforeTime() != null && ec.getNotBeforeTime().after(now))
                    || (ec.getExpirationTime() != null
                            && !ec.getExpirationTime().after(now))) {
                continue;
            }
            if (found == null || notBefore(ec) > notBefore(found)) {
                found = ec;
            }
        }
        return Optional.ofNullable(found);
    }

    private static long notBefore(ECKey key) {
        return key.getNotBeforeTime() == null
                ? Long.MIN_VALUE
                : key.getNotBeforeTime().getTime();
    }

    /** Parses a JWK Set, naming {@code field} when it is not one. */
    public static JWKSet parseSet(String json, String field) {
        try {
            return JWKSet.parse(json);
        } catch (ParseException | RuntimeException e) {
            throw new CaseFileFormatException(field, "is not a JWK Set");
        }
    }

    private static ECKey privateKey(JWKSet set, KeyUse use) {
        for (JWK jwk : set.getKeys()) {
            if (jwk instanceof ECKey ec && use.equals(ec.getKeyUse()) && ec.isPrivate()) {
                return ec;
            }
        }
        throw new CaseFileFormatException("keys", "holds no private P-256 key for " + use.identifier());
    }
}
