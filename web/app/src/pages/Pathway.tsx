import { useEffect, useState } from 'react';
import { ApiProblem } from '../api';
import { useI18n } from '../i18n';
import { useOrganisation } from '../orgs';
import { useApp } from '../ui';
import type { Pathway as PathwayBody, PathwayStep } from '../types';

function OrgName({ id, country }: { id: string; country: string }) {
  const { apis } = useApp();
  const org = useOrganisation(apis.registry, id);
  return (
    <>
      {org?.name ?? id} ({country})
    </>
  );
}

/**
 * The pathway's timeline (GET /api/v1/pathways/{id}): for each referral her consent still covers, the stage, both
 * organisations and their countries, the status and the dates. Never a summary, a consent or a file. The section is
 * absent when the service answers 404 (not on the pathway, or her consent no longer covers it) and where the server
 * does not offer pathways.
 */
export function Pathway({
  pathwayId,
  current,
  ownOrganisation,
  version,
}: {
  pathwayId: string;
  current: string;
  ownOrganisation: string | undefined;
  version: number;
}) {
  const { t, date } = useI18n();
  const { apis, can } = useApp();
  const available = can('GET /api/v1/pathways/{id}');
  const [pathway, setPathway] = useState<PathwayBody | null>(null);
  const [failed, setFailed] = useState<unknown>(null);
  useEffect(() => {
    if (!available) return;
    let live = true;
    apis.referral
      .get<PathwayBody>('/api/v1/pathways/' + encodeURIComponent(pathwayId))
      .then((a) => {
        if (!live) return;
        setPathway(a.body);
        setFailed(null);
      })
      .catch((e: unknown) => {
        if (!live) return;
        setPathway(null);
        // 404: this organisation may not see the pathway (any more); the section is left out
        setFailed(e instanceof ApiProblem && e.status === 404 ? null : e);
      });
    return () => {
      live = false;
    };
  }, [apis, available, pathwayId, version]);
  if (!available || (!pathway && !failed)) return null;
  const party = (s: PathwayStep) =>
    ownOrganisation != null &&
    (s.senderOrganisationId === ownOrganisation || s.receiverOrganisationId === ownOrganisation);
  return (
    <section aria-labelledby="pathway-h" className="pathway">
      <h2 id="pathway-h">{t('path.title')}</h2>
      {failed != null && <p className="hint">{t('path.unavailable')}</p>}
      {pathway && (
        <>
          <p className="hint">{t('path.note')}</p>
          <table className="referrals">
            <caption>{t('path.caption', { n: pathway.referrals.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('path.col.step')}</th>
                <th scope="col">{t('ref.stage')}</th>
                <th scope="col">{t('path.col.from')}</th>
                <th scope="col">{t('path.col.to')}</th>
                <th scope="col">{t('ref.col.status')}</th>
                <th scope="col">{t('path.col.dates')}</th>
              </tr>
            </thead>
            <tbody>
              {pathway.referrals.map((s, i) => {
                const here = s.referralId === current;
                return (
                  <tr key={s.referralId} data-pathway-step={s.referralId} aria-current={here ? 'true' : undefined}>
                    <td>
                      {party(s) && !here ? (
                        <a href={'#/referrals/' + s.referralId}>{t('path.step', { n: i + 1 })}</a>
                      ) : (
                        t('path.step', { n: i + 1 })
                      )}
                      {here && <> · {t('path.thisReferral')}</>}
                      {s.onwardFrom && <> · {t('path.onward')}</>}
                      {s.redirectedFrom && <> · {t('path.redirect')}</>}
                    </td>
                    <td>{t(s.stage)}</td>
                    <td>
                      <OrgName id={s.senderOrganisationId} country={s.senderCountry} />
                    </td>
                    <td>
                      <OrgName id={s.receiverOrganisationId} country={s.receiverCountry} />
                    </td>
                    <td>{t(s.status)}</td>
                    <td>
                      <ul className="dates">
                        <li>
                          {t('tl.createdAt')}: {date(s.createdAt)}
                        </li>
                        {s.submittedAt && (
                          <li>
                            {t('tl.submittedAt')}: {date(s.submittedAt)}
                          </li>
                        )}
                        {s.decidedAt && (
                          <li>
                            {t('tl.decidedAt')}: {date(s.decidedAt)}
                          </li>
                        )}
                        {s.closedAt && (
                          <li>
                            {t('tl.closedAt')}: {date(s.closedAt)}
                          </li>
                        )}
                      </ul>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
