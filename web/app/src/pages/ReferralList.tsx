import { useEffect, useState } from 'react';
import { useI18n } from '../i18n';
import { useOrganisation } from '../orgs';
import { Page, Status, useApp } from '../ui';
import { deadline, type Referral } from '../types';

function OrgName({ id }: { id: string }) {
  const { apis } = useApp();
  const o = useOrganisation(apis.registry, id);
  return <>{o ? o.name : '…'}</>;
}

/** Received referrals (the inbox) or sent ones, newest change first; overdue deadlines stand out. */
export function ReferralList({ box }: { box: 'received' | 'sent' }) {
  const { t, date, relative } = useI18n();
  const { apis } = useApp();
  const [items, setItems] = useState<Referral[] | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  useEffect(() => {
    setItems(null);
    apis.referral
      .get<Referral[]>('/api/v1/referrals?box=' + box + '&limit=100')
      .then((a) => setItems(a.body))
      .catch(setProblem);
  }, [apis, box]);
  return (
    <Page title={t(box === 'received' ? 'ref.list.inbox' : 'ref.list.sent')}>
      <Status problem={problem} />
      {items === null && !problem && <p>{t('app.loading')}</p>}
      {items && items.length === 0 && <p>{t('ref.list.empty')}</p>}
      {items && items.length > 0 && (
        <table className="referrals">
          <thead>
            <tr>
              <th scope="col">{t('ref.col.status')}</th>
              <th scope="col">{t('ref.col.urgency')}</th>
              <th scope="col">{t(box === 'received' ? 'ref.col.from' : 'ref.col.to')}</th>
              <th scope="col">{t('ref.col.services')}</th>
              <th scope="col">{t('ref.col.deadline')}</th>
              <th scope="col">{t('ref.col.created')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((r) => {
              const d = deadline(r);
              return (
                <tr key={r.id} className={d?.overdue ? 'overdue' : undefined} data-referral={r.id}>
                  <td>
                    <a href={'#/referrals/' + r.id}>
                      <span className={'badge status-' + r.status}>{t(r.status)}</span>
                      <span className="visually-hidden"> {t('ref.list.open')}</span>
                    </a>
                  </td>
                  <td>
                    <span className={'badge urgency-' + r.summary.urgency}>{t(r.summary.urgency)}</span>
                  </td>
                  <td>
                    <OrgName id={box === 'received' ? r.senderOrganisationId : r.receiverOrganisationId} /> (
                    {box === 'received' ? r.senderCountry : r.receiverCountry})
                  </td>
                  <td>{r.summary.requestedServices.map((s) => t(s)).join(', ')}</td>
                  <td>
                    {d ? (
                      d.overdue ? (
                        <strong className="overdue-label">
                          {t('ref.overdue')} · {date(d.at)}
                        </strong>
                      ) : (
                        t('ref.dueIn', { when: relative(d.at) })
                      )
                    ) : (
                      '–'
                    )}
                  </td>
                  <td>{date(r.createdAt)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </Page>
  );
}
