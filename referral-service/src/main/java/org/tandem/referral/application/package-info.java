/**
 * What the service layer takes and returns: commands, queries and results, as plain records over the domain's
 * types. The REST layer maps its own API types onto them; nothing here knows HTTP, JSON or the database.
 */
package org.tandem.referral.application;
