package org.tandem.client;

import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz tests of every parser of untrusted input in the client library, which the hub also uses on
 * upload. In {@code mvn verify} they run in regression mode over the seeds in
 * {@code src/test/resources/org/tandem/client/HeaderFuzzTestInputs/}; {@code JAZZER_FUZZ=1} fuzzes for real
 * (docs/case-files.md). The only allowed failure is a {@link CaseFileFormatException}.
 */
class HeaderFuzzTest {

    @FuzzTest
    void caseFileHeader(byte[] input) {
        try {
            CaseFileHeader h = CaseFileHeader.parse(new String(input, StandardCharsets.UTF_8));
            if (h.kid() == null || h.referralId() == null || h.dataCategories().isEmpty()) {
                throw new AssertionError("a header was accepted without kid, referral or categories");
            }
        } catch (CaseFileFormatException expected) {
            if (expected.field() == null || !expected.field().startsWith("jwe")) {
                throw new AssertionError("refusal names no jwe field: " + expected.field());
            }
        }
    }

    @FuzzTest
    void deletionReceipt(byte[] input) {
        try {
            DeletionReceipt.parse(new String(input, StandardCharsets.UTF_8));
        } catch (CaseFileFormatException expected) {
            if (expected.field() == null || !expected.field().startsWith("receipt")) {
                throw new AssertionError("refusal names no receipt field: " + expected.field());
            }
        }
    }

    @FuzzTest
    void publicKeySet(byte[] input) {
        try {
            OrganisationKeys.parseSet(new String(input, StandardCharsets.UTF_8), "keys");
        } catch (CaseFileFormatException expected) {
            // the only allowed refusal
        }
    }
}
