/**
 * The core, off main's thread: a utilityProcess holding the store, the model and the batch pipeline. Main forwards
 * contract calls here (after its sender, schema and role checks) and relays progress events to the right window.
 */
import './native-modules';
import type {} from 'electron';
import type { ClientSession } from '../../core/app/client-session';
import { type ComposedApp, composeApp } from '../../core/app/compose-app';
import type { CallContext } from '../../core/app/dispatch';
import { adoptKeyringFromEnv } from '../../core/audit-key/keyring';
import type { FromCore, ToCore } from './core-messages';

const port = process.parentPort;
const post = (message: FromCore) => port.postMessage(message);

function main(): void {
  const dataDir = process.env.GLUCOSCREEN_DATA_DIR;
  const modelDir = process.env.GLUCOSCREEN_MODEL_DIR;
  if (!dataDir || !modelDir) {
    post({ type: 'fatal', message: 'The core process was started without its data and model folders.' });
    return;
  }
  let app: ComposedApp;
  try {
    adoptKeyringFromEnv();
    app = composeApp({
      dataDir,
      embeddedModelDir: modelDir,
      trainingDataPath: process.env.GLUCOSCREEN_TRAINING_DATA ?? null,
    });
  } catch (error) {
    post({ type: 'fatal', message: `The database could not be opened: ${(error as Error).message}` });
    return;
  }
  const sessions = new Map<number, ClientSession>();
  const contextFor = (clientId: number): CallContext => {
    let session = sessions.get(clientId);
    if (!session) {
      session = app.newSession();
      sessions.set(clientId, session);
    }
    return {
      session,
      emit: (event, payload) => post({ type: 'event', clientId, message: { event, payload } }),
    };
  };

  port.on('message', (event) => {
    const message = event.data as ToCore;
    if (message.type === 'drop-client') {
      sessions.delete(message.clientId);
      return;
    }
    const ctx = contextFor(message.clientId);
    void app.call(message.method, message.arg, ctx).then((result) => {
      post({ type: 'result', id: message.id, result, session: ctx.session.view() });
    });
  });
  process.on('exit', () => app.close());
  post({ type: 'ready' });
}

main();
