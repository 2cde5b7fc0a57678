package org.tandem.client;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWSAlgorithm;

/** The names and limits of the Tandem case-file protocol (docs/case-files.md). */
public final class Protocol {

    /** Key management of the outer JWE: ephemeral-static ECDH on P-256, with AES-256 key wrap. */
    public static final JWEAlgorithm KEY_ALGORITHM = JWEAlgorithm.ECDH_ES_A256KW;
    /** Content encryption of the outer JWE. */
    public static final EncryptionMethod CONTENT_ENCRYPTION = EncryptionMethod.A256GCM;
    /** Signatures: the sender's case file and the receiver's deletion receipt. */
    public static final JWSAlgorithm SIGNATURE_ALGORITHM = JWSAlgorithm.ES256;

    /** Protected header (JWE and inner JWS): the referral the file belongs to. */
    public static final String REFERRAL_HEADER = "tandem-referral";
    /** Protected header (JWE and inner JWS): the data categories the file holds. */
    public static final String DATA_CATEGORIES_HEADER = "tandem-data-categories";
    /** Inner JWS header: the sending organisation. */
    public static final String SENDER_HEADER = "tandem-sender";
    /** Inner JWS header: the receiving organisation. */
    public static final String RECEIVER_HEADER = "tandem-receiver";

    /** {@code cty} of the outer JWE: its plaintext is a compact JWS. */
    public static final String NESTED_CONTENT_TYPE = "JOSE";
    /** {@code typ} of the inner JWS. */
    public static final JOSEObjectType CASE_FILE_TYPE = new JOSEObjectType("tandem-case-file+jose");
    /** {@code typ} of a deletion receipt. */
    public static final JOSEObjectType DELETION_RECEIPT_TYPE = new JOSEObjectType("tandem-deletion-receipt+jwt");

    /** The largest protected header this library accepts, in base64url characters. */
    public static final int MAX_HEADER_CHARS = 4096;
    /** The largest deletion receipt, in characters. */
    public static final int MAX_RECEIPT_CHARS = 8192;
    /** The longest key id. */
    public static final int MAX_KID_CHARS = 128;

    private Protocol() {}
}
