/**
 * What the service layer takes and returns: commands, queries and results, plain records. The REST layer maps its
 * own API types onto them; entities never leave the service layer (docs/architecture.md).
 */
package org.tandem.notification.application;
