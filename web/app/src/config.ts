/** Where Keycloak and the services are, as the web module's /config.json says. */
export interface AppConfig {
  oidcUrl: string;
  clientId: string;
  registryUrl: string;
  referralUrl: string;
  notificationUrl: string;
}

export async function loadConfig(): Promise<AppConfig> {
  const r = await fetch('/config.json', { cache: 'no-store' });
  if (!r.ok) throw new Error('config.json: ' + r.status);
  return (await r.json()) as AppConfig;
}
