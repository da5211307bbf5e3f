/**
 * The preload (sandboxed): one function per contract method and an event subscription, exposed through
 * contextBridge. ipcRenderer itself never reaches the page.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_GLOBAL } from '../../core/api/bridge';
import { channelOf, EVENT_CHANNEL, EVENT_NAMES, type EventMessage, METHOD_NAMES } from '../../core/api/screening-api';

const api: Record<string, (arg: unknown) => Promise<unknown>> = {};
for (const name of METHOD_NAMES) {
  api[name] = (arg: unknown) => ipcRenderer.invoke(channelOf(name), arg);
}

function subscribe(event: string, listener: (payload: unknown) => void): () => void {
  if (!(EVENT_NAMES as readonly string[]).includes(event)) throw new Error(`unknown event ${event}`);
  const onMessage = (_event: unknown, message: EventMessage) => {
    if (message.event === event) listener(message.payload);
  };
  ipcRenderer.on(EVENT_CHANNEL, onMessage);
  return () => {
    ipcRenderer.removeListener(EVENT_CHANNEL, onMessage);
  };
}

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, { api, subscribe });
