package org.tandem.client;

import java.text.ParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDHDecrypter;
import com.nimbusds.jose.crypto.ECDHEncrypter;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;

/**
 * Seals and opens case files: the sender signs the file (JWS, ES256, with its signature key) and encrypts
 * the signed file to the receiver's current encryption key (JWE, ECDH-ES+A256KW, A256GCM). Both the JWS
 * and the JWE carry the referral id and the declared data categories in their protected headers, so the
 * hub can check the declaration without reading the file, and the receiver can check that the signed
 * declaration and the one the hub saw are the same.
 */
public final class CaseFiles {

    /** A case file the receiver has decrypted and whose signature it has verified. */
    public record Opened(
            byte[] content,
            UUID referralId,
            Set<DataCategory> dataCategories,
            UUID sender,
            UUID receiver,
            String senderKid) {}

    private CaseFiles() {}

    /**
     * Signs {@code content} with the sender's signature key and encrypts it to the receiver's encryption key.
     *
     * @return the case file as a compact JWE
     */
    public static String seal(
            byte[] content,
            UUID referralId,
            Set<DataCategory> categories,
            UUID sender,
            UUID receiver,
            ECKey senderSignatureKey,
            ECKey receiverEncryptionKey) {
        Objects.requireNonNull(content, "content");
        if (categories == null || categories.isEmpty()) {
            throw new IllegalArgumentException("declare at least one data category");
        }
        if (!senderSignatureKey.isPrivate()) {
            throw new IllegalArgumentException("signing needs the sender's private signature key");
        }
        List<String> codes = categories.stream().sorted().map(Enum::name).toList();
        try {
            JWSObject jws = new JWSObject(
                    new JWSHeader.Builder(Protocol.SIGNATURE_ALGORITHM)
                            .type(Protocol.CASE_FILE_TYPE)
                            .keyID(senderSignatureKey.getKeyID())
                            .customParam(Protocol.REFERRAL_HEADER, referralId.toString())
                            .customParam(Protocol.DATA_CATEGORIES_HEADER, codes)
                            .customParam(Protocol.SENDER_HEADER, sender.toString())
                            .customParam(Protocol.RECEIVER_HEADER, receiver.toString())
                            .build(),
                    new Payload(content));
            jws.sign(new ECDSASigner(senderSignatureKey));
            JWEObject jwe = new JWEObject(
                    new JWEHeader.Builder(Protocol.KEY_ALGORITHM, Protocol.CONTENT_ENCRYPTION)
                            .contentType(Protocol.NESTED_CONTENT_TYPE)
                            .keyID(receiverEncryptionKey.getKeyID())
                            .customParam(Protocol.REFERRAL_HEADER, referralId.toString())
                            .customParam(Protocol.DATA_CATEGORIES_HEADER, codes)
                            .build(),
                    new Payload(jws.serialize()));
            jwe.encrypt(new ECDHEncrypter(receiverEncryptionKey.toPublicJWK()));
            return jwe.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot seal the case file with these keys", e);
        }
    }

    /**
     * Passes a case file this organisation received on to the next organisation of her pathway, for an onward
     * referral (docs/case-files.md, "Passing a file on"): the file was opened here, with this organisation's own
     * keys, and is signed by this organisation and encrypted to the next one's key here. Nothing is decrypted or
     * re-encrypted anywhere else, and the hub only ever sees the two sealed files.
     *
     * @param received the file as this organisation opened it ({@link #open})
     * @param content what is passed on: the received content, or a part of it when the next organisation's consent
     *     covers fewer categories
     * @param categories the categories of {@code content}; at most those of the received file, and the hub accepts
     *     the upload only when her consent for the onward referral covers them all
     * @param holder this organisation, which must be the one the received file was sealed to
     */
    public static String passOn(
            Opened received,
            byte[] content,
            Set<DataCategory> categories,
            UUID onwardReferralId,
            UUID holder,
            UUID nextReceiver,
            ECKey holderSignatureKey,
            ECKey nextReceiverEncryptionKey) {
        if (!received.receiver().equals(holder)) {
            throw new IllegalArgumentException("only the organisation the file was sealed to can pass it on");
        }
        if (categories == null || !received.dataCategories().containsAll(categories)) {
            throw new IllegalArgumentException(
                    "a file passed on can declare only categories of the file received: " + received.dataCategories());
        }
        if (onwardReferralId.equals(received.referralId())) {
            throw new IllegalArgumentException("a file is passed on for the onward referral, not the one it came with");
        }
        return seal(
                content,
                onwardReferralId,
                categories,
                holder,
                nextReceiver,
                holderSignatureKey,
                nextReceiverEncryptionKey);
    }

    /**
     * Decrypts a case file with the receiver's private encryption key and verifies the sender's signature.
     *
     * @param senderSignatureKeys finds a sender's public signature key by kid (from the registry); null when unknown
     * @throws CaseFileFormatException when the file is malformed, not for this key, or its signature does not hold
     */
    public static Opened open(
            String compactJwe, ECKey receiverEncryptionKey, Function<String, ECKey> senderSignatureKeys) {
        CaseFileHeader outer = CaseFileHeader.parse(compactJwe);
        if (!outer.kid().equals(receiverEncryptionKey.getKeyID())) {
            throw new CaseFileFormatException("jwe.header.kid", "names a key other than the one given to decrypt with");
        }
        String inner;
        try {
            JWEObject jwe = JWEObject.parse(compactJwe.strip());
            jwe.decrypt(new ECDHDecrypter(receiverEncryptionKey));
            inner = jwe.getPayload().toString();
        } catch (ParseException | JOSEException | RuntimeException e) {
            throw new CaseFileFormatException("jwe", "cannot be decrypted with this key");
        }
        JWSObject jws;
        try {
            jws = JWSObject.parse(inner);
        } catch (ParseException | RuntimeException e) {
            throw new CaseFileFormatException("jws", "the encrypted content is not a signed JWS");
        }
        JWSHeader h = jws.getHeader();
        CaseFileHeader.checkSigned(h, Protocol.CASE_FILE_TYPE, "jws.header");
        ECKey senderKey = senderSignatureKeys.apply(h.getKeyID());
        if (senderKey == null || (senderKey.getKeyUse() != null && !KeyUse.SIGNATURE.equals(senderKey.getKeyUse()))) {
            throw new CaseFileFormatException("jws.header.kid", "is not a signature key the sender has published");
        }
        try {
            if (!jws.verify(new ECDSAVerifier(senderKey.toPublicJWK()))) {
                throw new CaseFileFormatException("jws", "the sender's signature does not verify");
            }
        } catch (JOSEException e) {
            throw new CaseFileFormatException("jws", "the sender's signature does not verify");
        }
        UUID referral = CaseFileHeader.uuid(
                h.getCustomParam(Protocol.REFERRAL_HEADER), "jws.header." + Protocol.REFERRAL_HEADER);
        Set<DataCategory> categories = CaseFileHeader.categories(
                h.getCustomParam(Protocol.DATA_CATEGORIES_HEADER), "jws.header." + Protocol.DATA_CATEGORIES_HEADER);
        if (!referral.equals(outer.referralId()) || !categories.equals(outer.dataCategories())) {
            throw new CaseFileFormatException(
                    "jwe.header", "the signed referral id and data categories differ from the envelope's");
        }
        UUID sender =
                CaseFileHeader.uuid(h.getCustomParam(Protocol.SENDER_HEADER), "jws.header." + Protocol.SENDER_HEADER);
        UUID receiver = CaseFileHeader.uuid(
                h.getCustomParam(Protocol.RECEIVER_HEADER), "jws.header." + Protocol.RECEIVER_HEADER);
        byte[] content = jws.getPayload().toBytes();
        return new Opened(Arrays.copyOf(content, content.length), referral, categories, sender, receiver, h.getKeyID());
    }
}
