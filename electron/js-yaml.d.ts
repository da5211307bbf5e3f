// js-yaml comes with electron-builder (no @types package installed); the one function the packaging test uses.
declare module 'js-yaml' {
  export function load(text: string): unknown;
}
