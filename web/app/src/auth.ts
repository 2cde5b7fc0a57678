import { UserManager, WebStorageStateStore, type User } from 'oidc-client-ts';
import { decodeJwt } from 'jose';
import type { AppConfig } from './config';

export type Role = 'caseworker' | 'org-admin' | 'coordinator';

export interface Session {
  user: User;
  username: string;
  roles: Role[];
  organisationId: string | null;
  accessToken: () => string;
}

let manager: UserManager | null = null;

/** Sign-in through Keycloak with the authorisation code flow and PKCE (S256); tokens stay in this tab. */
export function userManager(cfg: AppConfig): UserManager {
  if (!manager) {
    manager = new UserManager({
      authority: cfg.oidcUrl,
      client_id: cfg.clientId,
      redirect_uri: window.location.origin + '/',
      post_logout_redirect_uri: window.location.origin + '/',
      response_type: 'code',
      scope: 'openid',
      userStore: new WebStorageStateStore({ store: window.sessionStorage }),
      automaticSilentRenew: true,
      monitorSession: false,
    });
  }
  return manager;
}

export function session(user: User): Session {
  const claims = decodeJwt(user.access_token) as Record<string, unknown>;
  const realmRoles = ((claims.realm_access as { roles?: string[] } | undefined)?.roles ?? []) as string[];
  const roles = realmRoles.filter((r): r is Role => r === 'caseworker' || r === 'org-admin' || r === 'coordinator');
  const org = typeof claims.org === 'string' ? claims.org : null;
  const username = (claims.preferred_username as string | undefined) ?? user.profile.sub;
  return { user, username, roles, organisationId: org, accessToken: () => user.access_token };
}

/** Finishes a sign-in when Keycloak sends the browser back with ?code=...; otherwise returns the stored user. */
export async function currentUser(cfg: AppConfig): Promise<User | null> {
  const um = userManager(cfg);
  const params = new URLSearchParams(window.location.search);
  if (params.has('code') && params.has('state')) {
    const user = await um.signinRedirectCallback();
    const target = (user.state as string | undefined) ?? '#/';
    window.history.replaceState({}, document.title, window.location.pathname + target);
    return user;
  }
  const user = await um.getUser();
  return user && !user.expired ? user : null;
}

export function signIn(cfg: AppConfig, lang: string): Promise<void> {
  return userManager(cfg).signinRedirect({ state: window.location.hash || '#/', ui_locales: lang });
}

export function signOut(cfg: AppConfig): Promise<void> {
  return userManager(cfg).signoutRedirect();
}
