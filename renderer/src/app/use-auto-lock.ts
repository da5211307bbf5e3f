import { useEffect, useRef } from 'react';

const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'wheel', 'pointermove'] as const;
const KEEP_ALIVE_MS = 60_000;

/**
 * Locks after `minutes` without input. While the user is active, a throttled keep-alive tells main, whose own
 * inactivity lock would otherwise fire on a user who reads without calling the API.
 */
export function useAutoLock(enabled: boolean, minutes: number, onIdle: () => void, keepAlive: () => void): void {
  const onIdleRef = useRef(onIdle);
  const keepAliveRef = useRef(keepAlive);
  onIdleRef.current = onIdle;
  keepAliveRef.current = keepAlive;

  useEffect(() => {
    if (!enabled || minutes <= 0) return;
    let lastActivity = Date.now();
    let lastKeepAlive = Date.now();
    const onActivity = () => {
      lastActivity = Date.now();
      if (lastActivity - lastKeepAlive > KEEP_ALIVE_MS) {
        lastKeepAlive = lastActivity;
        keepAliveRef.current();
      }
    };
    for (const name of ACTIVITY_EVENTS) window.addEventListener(name, onActivity, { passive: true });
    const timer = window.setInterval(() => {
      if (Date.now() - lastActivity >= minutes * 60_000) onIdleRef.current();
    }, 5_000);
    return () => {
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, onActivity);
      window.clearInterval(timer);
    };
  }, [enabled, minutes]);
}
