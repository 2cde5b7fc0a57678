package org.tandem.registry.service;

import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.tandem.registry.domain.InvalidFieldException;

/**
 * Jazzer fuzz test of the search cursor a caller sends back. In {@code verify} it runs in regression mode over
 * {@code src/test/resources/org/tandem/registry/service/CursorFuzzTestInputs/}. The only allowed refusal is a
 * problem; an accepted cursor must encode back to a cursor that decodes to the same position.
 */
class CursorFuzzTest {

    @FuzzTest
    void cursor(byte[] input) {
        String token = new String(input, StandardCharsets.UTF_8);
        DirectorySearch.Cursor c;
        try {
            c = DirectorySearch.Cursor.decode(token);
        } catch (InvalidFieldException refused) {
            return;
        }
        DirectorySearch.Cursor again = DirectorySearch.Cursor.decode(c.encode());
        if (!again.id().equals(c.id())
                || !again.capacityUpdatedAt().equals(c.capacityUpdatedAt())
                || Double.compare(again.rank(), c.rank()) != 0) {
            throw new AssertionError("cursor does not survive a round trip: " + c + " -> " + again);
        }
    }
}
