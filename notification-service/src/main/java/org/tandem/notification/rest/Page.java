package org.tandem.notification.rest;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A page of a list, newest first; pass {@code nextCursor} back as {@code cursor} for the next one. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Page<T>(List<T> items, String nextCursor) {}
