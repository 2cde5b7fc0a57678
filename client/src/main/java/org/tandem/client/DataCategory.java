package org.tandem.client;

/**
 * The data categories a case file may hold (docs/design.md §3.4). A case file declares which ones it holds, and the
 * hub refuses it unless the survivor's consent covers every one.
 */
public enum DataCategory {
    IDENTITY,
    CONTACT,
    IMMIGRATION_STATUS,
    HEALTH,
    CHILDREN,
    LEGAL_PROCEEDINGS,
    EXPLOITATION_HISTORY,
    DOCUMENTS
}
