package org.tandem.client;

import java.text.ParseException;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;

/**
 * The protected header of a case file (the outer JWE), checked without decrypting anything: this is what
 * the hub checks on upload and what a receiver checks before it decrypts.
 *
 * @param kid the receiver's encryption key the file is encrypted to
 * @param referralId the referral the file belongs to
 * @param dataCategories the data categories the file declares it holds (never empty)
 */
public record CaseFileHeader(String kid, UUID referralId, Set<DataCategory> dataCategories) {

    private static final Pattern KID = Pattern.compile("[A-Za-z0-9._:-]{1," + Protocol.MAX_KID_CHARS + "}");
    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]*");

    public CaseFileHeader {
        dataCategories = Collections.unmodifiableSet(EnumSet.copyOf(dataCategories));
    }

    /**
     * Parses and checks the header of a compact JWE. Every refusal names the offending part
     * ({@code jwe}, {@code jwe.header}, {@code jwe.header.alg}, ...).
     *
     * @throws CaseFileFormatException when the file is not a case file this protocol allows
     */
    public static CaseFileHeader parse(String compactJwe) {
        if (compactJwe == null || compactJwe.isBlank()) {
            throw new CaseFileFormatException("jwe", "must be a compact JWE (five base64url parts separated by dots)");
        }
        String s = compactJwe.strip();
        int firstDot = s.indexOf('.');
        if (firstDot < 0 || s.chars().filter(c -> c == '.').count() != 4) {
            throw new CaseFileFormatException("jwe", "must be a compact JWE (five base64url parts separated by dots)");
        }
        String[] parts = s.split("\\.", -1);
        for (int i = 0; i < parts.length; i++) {
            if (!BASE64URL.matcher(parts[i]).matches()) {
                throw new CaseFileFormatException("jwe", "part " + (i + 1) + " is not base64url");
            }
        }
        if (parts[0].isEmpty() || parts[0].length() > Protocol.MAX_HEADER_CHARS) {
            throw new CaseFileFormatException(
                    "jwe.header", "must be present and at most " + Protocol.MAX_HEADER_CHARS + " characters");
        }
        if (parts[1].isEmpty()) {
            throw new CaseFileFormatException(
                    "jwe.encrypted_key", "must be present: ECDH-ES+A256KW wraps the content key");
        }
        if (parts[2].isEmpty() || parts[3].isEmpty() || parts[4].isEmpty()) {
            throw new CaseFileFormatException("jwe", "must have an IV, a ciphertext and an authentication tag");
        }
        JWEHeader header;
        try {
            header = JWEHeader.parse(new Base64URL(parts[0]));
        } catch (ParseException | RuntimeException e) {
            throw new CaseFileFormatException("jwe.header", "is not a valid JWE protected header");
        }
        return check(header);
    }

    /** Checks an already parsed protected header. */
    public static CaseFileHeader check(JWEHeader header) {
        if (!Protocol.KEY_ALGORITHM.equals(header.getAlgorithm())) {
            throw new CaseFileFormatException("jwe.header.alg", "must be " + Protocol.KEY_ALGORITHM.getName());
        }
        if (!Protocol.CONTENT_ENCRYPTION.equals(header.getEncryptionMethod())) {
            throw new CaseFileFormatException("jwe.header.enc", "must be " + Protocol.CONTENT_ENCRYPTION.getName());
        }
        if (header.getCompressionAlgorithm() != null) {
            throw new CaseFileFormatException("jwe.header.zip", "must be absent: compression is not allowed");
        }
        if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
            throw new CaseFileFormatException("jwe.header.crit", "must be absent");
        }
        if (header.getJWKURL() != null
                || header.getJWK() != null
                || header.getX509CertURL() != null
                || header.getX509CertChain() != null) {
            throw new CaseFileFormatException(
                    "jwe.header.jku", "keys are found by kid in the registry; jku, jwk, x5u and x5c must be absent");
        }
        if (!(header.getEphemeralPublicKey() instanceof ECKey epk)
                || !Curve.P_256.equals(epk.getCurve())
                || epk.isPrivate()) {
            throw new CaseFileFormatException("jwe.header.epk", "must be a public P-256 EC key");
        }
        if (!Protocol.NESTED_CONTENT_TYPE.equals(header.getContentType())) {
            throw new CaseFileFormatException(
                    "jwe.header.cty", "must be " + Protocol.NESTED_CONTENT_TYPE + " (a signed JWS inside)");
        }
        String kid = header.getKeyID();
        if (kid == null || !KID.matcher(kid).matches()) {
            throw new CaseFileFormatException(
                    "jwe.header.kid",
                    "must name the receiver's encryption key (1 to " + Protocol.MAX_KID_CHARS
                            + " characters of A-Z a-z 0-9 . _ : -)");
        }
        UUID referral = uuid(header.getCustomParam(Protocol.REFERRAL_HEADER), "jwe.header." + Protocol.REFERRAL_HEADER);
        Set<DataCategory> categories = categories(
                header.getCustomParam(Protocol.DATA_CATEGORIES_HEADER),
                "jwe.header." + Protocol.DATA_CATEGORIES_HEADER);
        return new CaseFileHeader(kid, referral, categories);
    }

    /**
     * Checks the protected header of a signed part (the inner JWS of a case file, a deletion receipt):
     * ES256 only, the expected {@code typ}, no {@code crit}, no key URLs or embedded keys, and a kid.
     */
    static void checkSigned(JWSHeader h, JOSEObjectType type, String prefix) {
        if (!Protocol.SIGNATURE_ALGORITHM.equals(h.getAlgorithm())) {
            throw new CaseFileFormatException(prefix + ".alg", "must be " + Protocol.SIGNATURE_ALGORITHM.getName());
        }
        if (!type.equals(h.getType())) {
            throw new CaseFileFormatException(prefix + ".typ", "must be " + type);
        }
        if (h.getCriticalParams() != null && !h.getCriticalParams().isEmpty()) {
            throw new CaseFileFormatException(prefix + ".crit", "must be absent");
        }
        if (h.getJWKURL() != null || h.getJWK() != null || h.getX509CertURL() != null || h.getX509CertChain() != null) {
            throw new CaseFileFormatException(
                    prefix + ".jku", "keys are found by kid in the registry; jku, jwk, x5u and x5c must be absent");
        }
        if (h.getKeyID() == null || !KID.matcher(h.getKeyID()).matches()) {
            throw new CaseFileFormatException(
                    prefix + ".kid", "must name the signature key (1 to " + Protocol.MAX_KID_CHARS + " characters)");
        }
    }

    static UUID uuid(Object value, String field) {
        if (value instanceof String s && s.length() == 36) {
            try {
                UUID id = UUID.fromString(s);
                if (id.toString().equalsIgnoreCase(s)) {
                    return id;
                }
            } catch (IllegalArgumentException e) {
                // answered below
            }
        }
        throw new CaseFileFormatException(field, "must be a UUID");
    }

    static Set<DataCategory> categories(Object value, String field) {
        if (!(value instanceof List<?> list) || list.isEmpty() || list.size() > DataCategory.values().length) {
            throw new CaseFileFormatException(
                    field,
                    "must list the data categories the file holds (1 to " + DataCategory.values().length + " codes)");
        }
        Set<DataCategory> out = EnumSet.noneOf(DataCategory.class);
        for (int i = 0; i < list.size(); i++) {
            Object code = list.get(i);
            DataCategory category = null;
            if (code instanceof String s) {
                for (DataCategory c : DataCategory.values()) {
                    if (c.name().equals(s)) {
                        category = c;
                    }
                }
            }
            if (category == null || !out.add(category)) {
                throw new CaseFileFormatException(
                        field + "[" + i + "]",
                        "must be a data category code, each once: " + java.util.Arrays.toString(DataCategory.values()));
            }
        }
        return out;
    }
}
