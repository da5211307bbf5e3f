/** What the switch starts: the local scoring API on a port, with a way to stop it. */
export interface SwitchedService {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** What the settings ask of the API while it is on: its port and the limits it enforces. */
export interface LocalApiWanted {
  port: number;
  rateLimitPerMinute: number;
  maxBodyBytes: number;
  maxPatients: number;
}

/**
 * Keeps the local scoring API running exactly while its setting asks for it: `sync` starts, stops or (for a new
 * port or new limits, which a running service does not reread) restarts it. Calls are queued, so a quick on-off-on
 * never runs two listeners or stops one half-started.
 */
export interface LocalApiSwitch {
  sync(): Promise<void>;
  /** The running API's address, or null while it is off. */
  url(): string | null;
  /** The last start's failure, or null (a taken port, a missing model). */
  lastError(): string | null;
  /** Stops it whatever the setting says (the app is closing or replacing its database). */
  stop(): Promise<void>;
}

export function createLocalApiSwitch(options: {
  /** What the setting asks for, or null when the API is off. */
  wanted: () => LocalApiWanted | null;
  start: (wanted: LocalApiWanted) => Promise<SwitchedService>;
  logError: (message: string) => void;
}): LocalApiSwitch {
  let running: SwitchedService | null = null;
  /** The settings the running service was started with. */
  let runningKey: string | null = null;
  let error: string | null = null;
  let queue: Promise<void> = Promise.resolve();
  const enqueue = (step: () => Promise<void>) => {
    queue = queue.then(step, step);
    return queue;
  };
  const stopRunning = async () => {
    const service = running;
    running = null;
    runningKey = null;
    if (service) await service.stop();
  };
  return {
    sync: () =>
      enqueue(async () => {
        const wanted = options.wanted();
        const key = wanted === null ? null : JSON.stringify(wanted);
        if (running && runningKey === key) return;
        await stopRunning();
        if (wanted === null) return;
        try {
          running = await options.start(wanted);
          runningKey = key;
          error = null;
        } catch (failure) {
          error = `The local scoring API could not start on port ${wanted.port}: ${(failure as Error).message}`;
          options.logError(error);
        }
      }),
    url: () => running?.url ?? null,
    lastError: () => error,
    stop: () => enqueue(stopRunning),
  };
}
