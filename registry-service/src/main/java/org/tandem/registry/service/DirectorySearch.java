package org.tandem.registry.service;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.tandem.registry.application.DirectoryPage;
import org.tandem.registry.application.DirectoryQuery;
import org.tandem.registry.domain.InvalidFieldException;
import org.tandem.registry.mapping.OrganisationMapper;
import org.tandem.registry.persistence.DirectoryRepository;

/**
 * Directory search ({@link DirectoryRepository} runs it in PostgreSQL): only approved organisations, ordered by
 * text relevance, then by the freshest capacity, then by id, and paged with a keyset cursor so that pages stay
 * stable while the directory changes.
 */
@ApplicationScoped
public class DirectorySearch {

    /** Position after the last row of a page: relevance, capacity update time, id. */
    record Cursor(double rank, Instant capacityUpdatedAt, UUID id) {
        String encode() {
            long micros = capacityUpdatedAt.getEpochSecond() * 1_000_000L + capacityUpdatedAt.getNano() / 1_000;
            String raw = rank + "|" + micros + "|" + id;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String token) {
            try {
                String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
                String[] parts = raw.split("\\|");
                return new Cursor(
                        Double.parseDouble(parts[0]),
                        Instant.EPOCH.plus(Long.parseLong(parts[1]), java.time.temporal.ChronoUnit.MICROS),
                        UUID.fromString(parts[2]));
            } catch (RuntimeException e) {
                throw new InvalidFieldException("cursor", "is not a cursor this directory gave out");
            }
        }
    }

    @Inject
    DirectoryRepository directory;

    public DirectoryPage search(DirectoryQuery c, String cursorToken, int limit) {
        DirectoryRepository.After after = null;
        if (cursorToken != null && !cursorToken.isBlank()) {
            Cursor cursor = Cursor.decode(cursorToken);
            after = new DirectoryRepository.After(cursor.rank(), cursor.capacityUpdatedAt(), cursor.id());
        }
        List<DirectoryRepository.Hit> rows = directory.search(c, after, limit + 1);
        boolean more = rows.size() > limit;
        List<DirectoryRepository.Hit> page = more ? rows.subList(0, limit) : rows;
        var items = page.stream()
                .map(DirectoryRepository.Hit::organisation)
                .map(OrganisationMapper::details)
                .toList();
        String next = null;
        if (more) {
            var last = page.get(page.size() - 1);
            next = new Cursor(last.rank(), last.capacityUpdatedAt(), last.id()).encode();
        }
        return new DirectoryPage(items, next);
    }
}
