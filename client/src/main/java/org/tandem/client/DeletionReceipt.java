package org.tandem.client;

import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * A receiver's signed statement that it purged a referral's case file after the survivor withdrew her
 * consent: a JWT signed (ES256) with the receiving organisation's signature key.
 *
 * <p>Claims: {@code iss} the receiving organisation's id, {@code tandem-referral} the referral id,
 * {@code purged_at} when it purged the file (seconds since the epoch), {@code iat}, {@code jti}.
 *
 * @param organisationId who purged (the issuer)
 * @param referralId whose file
 * @param purgedAt when
 * @param kid the signature key that signed it
 * @param compact the receipt as received, to keep and to show the sender
 */
public record DeletionReceipt(UUID organisationId, UUID referralId, Instant purgedAt, String kid, String compact) {

    public static final String PURGED_AT_CLAIM = "purged_at";

    public DeletionReceipt {
        Objects.requireNonNull(organisationId);
        Objects.requireNonNull(referralId);
        Objects.requireNonNull(purgedAt);
        Objects.requireNonNull(kid);
        Objects.requireNonNull(compact);
    }

    /** Signs a receipt with the receiving organisation's private signature key. */
    public static String sign(UUID organisationId, UUID referralId, Instant purgedAt, ECKey signatureKey) {
        try {
            Instant now = Instant.now();
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(Protocol.SIGNATURE_ALGORITHM)
                            .type(Protocol.DELETION_RECEIPT_TYPE)
                            .keyID(signatureKey.getKeyID())
                            .build(),
                    new JWTClaimsSet.Builder()
                            .issuer(organisationId.toString())
                            .claim(Protocol.REFERRAL_HEADER, referralId.toString())
                            .claim(PURGED_AT_CLAIM, purgedAt.getEpochSecond())
                            .issueTime(Date.from(now))
                            .jwtID(UUID.randomUUID().toString())
                            .build());
            jwt.sign(new ECDSASigner(signatureKey));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign the deletion receipt with this key", e);
        }
    }

    /**
     * Parses an untrusted receipt and checks its form, without checking the signature: find the key by
     * {@link #kid()}, then call {@link #verify(String, ECKey)}.
     *
     * @throws CaseFileFormatException naming the part that is wrong
     */
    public static DeletionReceipt parse(String compact) {
        if (compact == null || compact.isBlank() || compact.length() > Protocol.MAX_RECEIPT_CHARS) {
            throw new CaseFileFormatException(
                    "receipt", "must be a compact JWS of at most " + Protocol.MAX_RECEIPT_CHARS + " characters");
        }
        String s = compact.strip();
        if (s.chars().filter(c -> c == '.').count() != 2) {
            throw new CaseFileFormatException(
                    "receipt", "must be a compact JWS (three base64url parts separated by dots)");
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(s);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException | RuntimeException e) {
            throw new CaseFileFormatException("receipt", "is not a signed JWT");
        }
        JWSHeader h = jwt.getHeader();
        CaseFileHeader.checkSigned(h, Protocol.DELETION_RECEIPT_TYPE, "receipt.header");
        UUID org = CaseFileHeader.uuid(claims.getIssuer(), "receipt.claims.iss");
        UUID referral = CaseFileHeader.uuid(
                claims.getClaim(Protocol.REFERRAL_HEADER), "receipt.claims." + Protocol.REFERRAL_HEADER);
        Object purged = claims.getClaim(PURGED_AT_CLAIM);
        if (!(purged instanceof Number n) || n.longValue() <= 0 || n.longValue() > 253_402_300_799L) {
            throw new CaseFileFormatException(
                    "receipt.claims." + PURGED_AT_CLAIM, "must be a time in seconds since the epoch");
        }
        return new DeletionReceipt(org, referral, Instant.ofEpochSecond(n.longValue()), h.getKeyID(), s);
    }

    /**
     * Parses the receipt and verifies its signature with {@code publicKey}, which must be the key named by
     * its kid, found in what the issuing organisation published.
     */
    public static DeletionReceipt verify(String compact, ECKey publicKey) {
        DeletionReceipt receipt = parse(compact);
        if (!receipt.kid().equals(publicKey.getKeyID())
                || (publicKey.getKeyUse() != null && !KeyUse.SIGNATURE.equals(publicKey.getKeyUse()))) {
            throw new CaseFileFormatException("receipt.header.kid", "is not the given signature key");
        }
        try {
            if (!SignedJWT.parse(receipt.compact()).verify(new ECDSAVerifier(publicKey.toPublicJWK()))) {
                throw new CaseFileFormatException("receipt", "the signature does not verify");
            }
        } catch (ParseException | JOSEException e) {
            throw new CaseFileFormatException("receipt", "the signature does not verify");
        }
        return receipt;
    }
}
