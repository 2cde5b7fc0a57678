package org.tandem.events;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;

/**
 * Turns what the Apicurio deserializer delivered into the generated event class. Consumers read generic
 * records (the serde's own class lookup goes through the wrong class loader inside Quarkus applications),
 * and this class resolves the event type through {@link EventCatalog}, resolving the writer's schema
 * against the current one, so that records written with an older version of a schema still read.
 */
public final class EventRecords {

    private EventRecords() {}

    /** The event as its generated class, or null for a tombstone; fails for an event type not in the catalog. */
    public static SpecificRecord specific(Object value) {
        if (value == null || value instanceof SpecificRecord) {
            return (SpecificRecord) value;
        }
        if (!(value instanceof GenericRecord generic)) {
            throw new IllegalArgumentException(
                    "not an Avro record: " + value.getClass().getName());
        }
        var entry = EventCatalog.byFullName(generic.getSchema().getFullName());
        try {
            var out = new ByteArrayOutputStream(256);
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(generic.getSchema(), GENERIC_MODEL).write(generic, encoder);
            encoder.flush();
            var reader = new SpecificDatumReader<SpecificRecord>(
                    generic.getSchema(), entry.schema(), SPECIFIC_MODELS.get(entry.type()));
            return reader.read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Generic records from the serde may hold converted logical types; writing them needs the conversions. */
    private static final org.apache.avro.generic.GenericData GENERIC_MODEL = genericModel();

    private static org.apache.avro.generic.GenericData genericModel() {
        var model = new org.apache.avro.generic.GenericData();
        model.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        return model;
    }

    /**
     * One data model per event class (through its class loader, which inside Quarkus is not this class's), kept:
     * a model caches the classes it looked up, and a new one per record looked them up again every time (#18).
     * Avro's data models are safe to share between threads. A ClassValue lets an unloaded class loader go.
     */
    private static final ClassValue<SpecificData> SPECIFIC_MODELS = new ClassValue<>() {
        @Override
        protected SpecificData computeValue(Class<?> type) {
            SpecificData model = new SpecificData(type.getClassLoader());
            model.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
            return model;
        }
    };

    /**
     * The Avro data model for an event class, one per class and kept (see {@link #SPECIFIC_MODELS}). Everything
     * that writes or reads an event's binary form uses it: a new {@code SpecificData} scans the class path for
     * conversion providers ({@code ServiceLoader}) and looks its classes up again, which cost the outbox 6% of
     * referral-service's CPU when it built one per event (#18).
     */
    public static SpecificData modelOf(Class<? extends SpecificRecord> type) {
        return SPECIFIC_MODELS.get(type);
    }

    /** The schema an event type is read with. */
    public static Schema schemaOf(String fullName) {
        return EventCatalog.byFullName(fullName).schema();
    }
}
