/** Messages between main and the core utility process (structured-clone data only). */
import type { SessionView } from '../../core/api/access';
import type { Result } from '../../core/api/result';
import type { EventMessage } from '../../core/api/screening-api';

export type ToCore =
  | { type: 'call'; id: number; clientId: number; method: string; arg: unknown }
  | { type: 'drop-client'; clientId: number };

export type FromCore =
  | { type: 'ready' }
  | { type: 'fatal'; message: string }
  | { type: 'result'; id: number; result: Result<unknown>; session: SessionView | null }
  | { type: 'event'; clientId: number; message: EventMessage };

/** The part of Electron's UtilityProcess (or a test double) that main talks to. */
export interface CoreChannel {
  postMessage(message: ToCore): void;
  onMessage(listener: (message: FromCore) => void): void;
}
