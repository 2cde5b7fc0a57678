package org.tandem.platform.outbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

import org.tandem.events.EventRecords;

/**
 * Avro binary encoding of event records for the outbox table, with the event class's kept data model
 * ({@link EventRecords#modelOf}): it resolves classes through the event class's own loader (Quarkus runs
 * applications in their own class loader, and Avro's shared instance would otherwise load a second copy of
 * nested types) and converts timestamps to {@code Instant}.
 */
final class AvroCodec {

    private AvroCodec() {}

    static byte[] encode(SpecificRecord event) {
        try {
            var out = new ByteArrayOutputStream(256);
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            new SpecificDatumWriter<SpecificRecord>(event.getSchema(), EventRecords.modelOf(event.getClass()))
                    .write(event, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static <T extends SpecificRecord> T decode(Class<T> type, org.apache.avro.Schema schema, byte[] payload) {
        try {
            var reader = new SpecificDatumReader<T>(schema, schema, EventRecords.modelOf(type));
            return reader.read(null, DecoderFactory.get().binaryDecoder(payload, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
