/**
 * What the registry's service layer takes and returns: commands, queries and results, as plain records. The REST
 * layer maps its own API types onto them; no entity and no API type crosses this boundary.
 */
package org.tandem.registry.application;
