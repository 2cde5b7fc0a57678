import { StrictMode, useEffect, useMemo, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { User } from 'oidc-client-ts';
import { Api, capabilities, opKey } from './api';
import { currentUser, session as toSession, signIn, signOut, userManager, type Role } from './auth';
import { loadConfig, type AppConfig } from './config';
import { I18nContext, LANGS, initialLang, makeI18n, useI18n, type Lang } from './i18n';
import { useRoute } from './router';
import { Ctx, type AppContext } from './ui';
import { Directory } from './pages/Directory';
import { NewReferral } from './pages/NewReferral';
import { ReferralList } from './pages/ReferralList';
import { ReferralDetail } from './pages/ReferralDetail';
import { Dashboard } from './pages/Dashboard';
import { Profile } from './pages/Profile';
import { Keys } from './pages/Keys';
import { Webhooks } from './pages/Webhooks';
import { Audit } from './pages/Audit';

interface NavItem {
  hash: string;
  key: string;
  roles: Role[];
}

const NAV: NavItem[] = [
  { hash: '#/referrals/received', key: 'nav.inbox', roles: ['caseworker'] },
  { hash: '#/referrals/sent', key: 'nav.sent', roles: ['caseworker'] },
  { hash: '#/referrals/new', key: 'nav.newReferral', roles: ['caseworker'] },
  { hash: '#/directory', key: 'nav.directory', roles: ['caseworker', 'org-admin', 'coordinator'] },
  { hash: '#/dashboard', key: 'nav.dashboard', roles: ['coordinator'] },
  { hash: '#/admin/profile', key: 'nav.profile', roles: ['org-admin'] },
  { hash: '#/admin/keys', key: 'nav.keys', roles: ['org-admin'] },
  { hash: '#/admin/webhooks', key: 'nav.webhooks', roles: ['org-admin'] },
  { hash: '#/admin/audit', key: 'nav.audit', roles: ['org-admin'] },
];

function LanguagePicker() {
  const { t, lang, setLang } = useI18n();
  return (
    <label className="lang">
      {t('app.language')}{' '}
      <select value={lang} onChange={(e) => setLang(e.target.value as Lang)}>
        {LANGS.map((l) => (
          <option key={l.code} value={l.code} lang={l.code}>
            {l.name}
          </option>
        ))}
      </select>
    </label>
  );
}

function Shell({ cfg, user }: { cfg: AppConfig; user: User | null }) {
  const { t, lang } = useI18n();
  const route = useRoute();
  const mainRef = useRef<HTMLElement>(null);
  const [caps, setCaps] = useState<Map<string, string> | null>(null);
  const s = useMemo(() => (user ? toSession(user) : null), [user]);
  useEffect(() => {
    capabilities([cfg.registryUrl, cfg.referralUrl, cfg.notificationUrl]).then(setCaps);
  }, [cfg]);
  // move focus to the page's heading after navigation, for keyboard and screen-reader users
  const routeKey = route.path.join('/');
  useEffect(() => {
    document.getElementById('page-title')?.focus();
  }, [routeKey]);

  const ctx: AppContext | null = useMemo(() => {
    if (!s || !caps) return null;
    const token = () => s.accessToken();
    return {
      session: s,
      apis: {
        registry: new Api(cfg.registryUrl, token),
        referral: new Api(cfg.referralUrl, token),
        notification: new Api(cfg.notificationUrl, token),
      },
      can: (op: string) => caps.has(opKey(op)),
      caps,
    };
  }, [s, caps, cfg]);

  const header = (
    <header className="top">
      <a
        className="skip"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          mainRef.current?.focus();
        }}
      >
        {t('app.skip')}
      </a>
      <div className="brand">
        <span className="logo" aria-hidden="true">
          ⟷
        </span>{' '}
        {t('app.name')}
      </div>
      <LanguagePicker />
      {s && (
        <div className="who">
          <span>{t('app.signedInAs', { user: s.username })}</span>
          <button type="button" className="secondary" onClick={() => signOut(cfg)}>
            {t('app.signOut')}
          </button>
        </div>
      )}
    </header>
  );

  if (!s) {
    return (
      <>
        {header}
        <main id="main" ref={mainRef} tabIndex={-1} className="welcome">
          <h1 id="page-title" tabIndex={-1}>
            {t('app.welcome')}
          </h1>
          <p>{t('app.welcomeText')}</p>
          <button type="button" onClick={() => signIn(cfg, lang)}>
            {t('app.signIn')}
          </button>
        </main>
      </>
    );
  }
  const nav = NAV.filter((n) => n.roles.some((r) => s.roles.includes(r)));
  const current = '#/' + route.path.join('/');
  return (
    <>
      {header}
      <nav aria-label={t('nav.main')} className="side">
        <ul>
          {nav.map((n) => (
            <li key={n.hash}>
              <a href={n.hash} aria-current={current === n.hash ? 'page' : undefined}>
                {t(n.key)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" ref={mainRef} tabIndex={-1}>
        {!ctx ? (
          <p>{t('app.loading')}</p>
        ) : (
          <Ctx.Provider value={ctx}>
            <Pages roles={s.roles} />
          </Ctx.Provider>
        )}
      </main>
    </>
  );
}

function Pages({ roles }: { roles: Role[] }) {
  const { t } = useI18n();
  const { path, query } = useRoute();
  const [a, b] = path;
  if (roles.length === 0) return <p className="notice">{t('app.noRole')}</p>;
  if (a === 'directory') return <Directory />;
  if (a === 'referrals' && b === 'new')
    return (
      <NewReferral
        receiver={query.get('receiver')}
        redirectFrom={query.get('redirectFrom')}
        onwardFrom={query.get('onwardFrom')}
      />
    );
  if (a === 'referrals' && (b === 'received' || b === 'sent')) return <ReferralList box={b} />;
  if (a === 'referrals' && b) return <ReferralDetail id={b} />;
  if (a === 'dashboard') return <Dashboard />;
  if (a === 'admin' && b === 'profile') return <Profile />;
  if (a === 'admin' && b === 'keys') return <Keys />;
  if (a === 'admin' && b === 'webhooks') return <Webhooks />;
  if (a === 'admin' && b === 'audit') return <Audit />;
  if (roles.includes('caseworker')) return <ReferralList box="received" />;
  if (roles.includes('coordinator')) return <Dashboard />;
  return <Profile />;
}

function Root({ cfg, user }: { cfg: AppConfig; user: User | null }) {
  const [lang, setLang] = useState<Lang>(initialLang);
  const [u, setU] = useState(user);
  useEffect(() => {
    document.documentElement.lang = lang;
    localStorage.setItem('tandem.lang', lang);
  }, [lang]);
  useEffect(() => {
    const um = userManager(cfg);
    const loaded = (nu: User) => setU(nu);
    const gone = () => setU(null);
    um.events.addUserLoaded(loaded);
    um.events.addUserUnloaded(gone);
    um.events.addAccessTokenExpired(gone);
    return () => {
      um.events.removeUserLoaded(loaded);
      um.events.removeUserUnloaded(gone);
      um.events.removeAccessTokenExpired(gone);
    };
  }, [cfg]);
  const i18n = useMemo(() => makeI18n(lang, setLang), [lang]);
  return (
    <I18nContext.Provider value={i18n}>
      <Shell cfg={cfg} user={u} />
    </I18nContext.Provider>
  );
}

async function start() {
  const root = createRoot(document.getElementById('root')!);
  try {
    const cfg = await loadConfig();
    const user = await currentUser(cfg);
    root.render(
      <StrictMode>
        <Root cfg={cfg} user={user} />
      </StrictMode>,
    );
  } catch (e) {
    root.render(<p role="alert">Tandem could not start: {String(e instanceof Error ? e.message : e)}</p>);
  }
}

start();
