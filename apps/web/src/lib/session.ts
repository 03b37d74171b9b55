import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { TrainyardApi, type Me } from '@trainyard/client';

/** Session storage only: the token goes when the tab closes, and never into a URL. */
const TOKEN_KEY = 'trainyard.token';

export interface Session {
  api: TrainyardApi;
  me: Me;
}

export async function signIn(token: string): Promise<Session> {
  const api = new TrainyardApi({ baseUrl: location.origin, token });
  const me = await api.me();
  sessionStorage.setItem(TOKEN_KEY, token);
  return { api, me };
}

export const storedToken = () => sessionStorage.getItem(TOKEN_KEY);
export const forgetToken = () => sessionStorage.removeItem(TOKEN_KEY);

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('no session');
  return session;
}

/** Trainers and admins create, cancel, retry and promote; viewers only read (the API enforces it too). */
export const canTrain = (session: Session) => session.me.role !== 'viewer';
