import { useEffect, useState } from 'react';
import type { Api } from './api';
import type { Organisation } from './types';

const cache = new Map<string, Promise<Organisation | null>>();

/** An organisation's public profile, fetched once per page load. */
export function organisation(registry: Api, id: string): Promise<Organisation | null> {
  let p = cache.get(id);
  if (!p) {
    p = registry
      .get<Organisation>('/api/v1/organisations/' + encodeURIComponent(id))
      .then((a) => a.body)
      .catch(() => null);
    cache.set(id, p);
  }
  return p;
}

export function useOrganisation(registry: Api, id: string | null | undefined): Organisation | null {
  const [o, setO] = useState<Organisation | null>(null);
  useEffect(() => {
    if (!id) return;
    let live = true;
    organisation(registry, id).then((x) => live && setO(x));
    return () => {
      live = false;
    };
  }, [registry, id]);
  return o;
}
