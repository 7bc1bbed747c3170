// What depends on the browser's clock or time zone renders once the server's HTML is hydrated, so the two never differ.
import { useSyncExternalStore } from 'react';

const subscribe = () => () => {};

/** False on the server and during hydration, true after. */
export const useHydrated = () => useSyncExternalStore(subscribe, () => true, () => false);
